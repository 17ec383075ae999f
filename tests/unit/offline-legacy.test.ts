/**
 * The offline planner on a made-up gym in a legacy naming style no shipped suite has: `tbl_` tables, `nm` for
 * name, `flg_`-prefixed and `_flag`-suffixed yes/no columns, a booking link table with a text slot in its
 * key, and two equally short ways from a class to a member (its trainer's coached members, or its
 * bookings). Each request is parsed, built and run on an in-memory SQLite copy; the rows are checked.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runRequest, sortedRows } from '../support/offline-schema.js';

const DDL = `
  CREATE TABLE tbl_club (club_id INTEGER PRIMARY KEY, club_nm TEXT NOT NULL, city TEXT);
  CREATE TABLE tbl_trainer (trainer_id INTEGER PRIMARY KEY, first_nm TEXT, last_nm TEXT NOT NULL, club_id INTEGER REFERENCES tbl_club(club_id), certified_flag INTEGER NOT NULL);
  CREATE TABLE tbl_member (member_id INTEGER PRIMARY KEY, last_nm TEXT NOT NULL, flg_vip INTEGER NOT NULL, coach_id INTEGER REFERENCES tbl_trainer(trainer_id));
  CREATE TABLE tbl_class (class_cd TEXT PRIMARY KEY, class_title TEXT NOT NULL, trainer_id INTEGER REFERENCES tbl_trainer(trainer_id));
  CREATE TABLE tbl_booking (member_id INTEGER REFERENCES tbl_member(member_id), class_cd TEXT REFERENCES tbl_class(class_cd), slot TEXT NOT NULL, rating_pts REAL,
    PRIMARY KEY (member_id, class_cd, slot));
  INSERT INTO tbl_club VALUES (1, 'North Gym', 'Oslo'), (2, 'Harbour Fit', 'Bergen');
  INSERT INTO tbl_trainer VALUES (1, 'Kari', 'Berg', 1, 1), (2, 'Ola', 'Dahl', 1, 0), (3, 'Siv', 'Lie', 2, 1);
  INSERT INTO tbl_member VALUES (1, 'Aas', 1, 1), (2, 'Bakke', 0, 1), (3, 'Moe', 0, 3), (4, 'Nes', 1, NULL);
  INSERT INTO tbl_class VALUES ('Y1', 'Yoga', 1), ('S1', 'Spin', 2), ('P1', 'Pilates', 3), ('B1', 'Boxing', NULL);
  INSERT INTO tbl_booking VALUES (1, 'Y1', 'MON-07', 4.5), (2, 'Y1', 'MON-07', 3.0), (1, 'S1', 'TUE-18', 5), (3, 'S1', 'TUE-18', 4), (3, 'P1', 'WED-09', NULL);
`;
const run = (text: string) => runRequest(DDL, text);

test('yes/no columns named flg_<word> and <word>_flag read as conditions; "last names" is last_nm', () => {
  const { rows, sql } = run('last names of certified trainers');
  assert.match(sql, /SELECT t0\.last_nm[\s\S]*certified_flag = 1/);
  assert.deepEqual(sortedRows(rows), sortedRows([['Berg'], ['Lie']]));
  assert.deepEqual(sortedRows(run('vip members').rows.map((r) => [r[1]])), sortedRows([['Aas'], ['Nes']]));
});

test('a club is named by club_nm ("nm" is name)', () => {
  assert.deepEqual(sortedRows(run('number of trainers per club').rows), sortedRows([['North Gym', 2], ['Harbour Fit', 1]]));
});

test('"bookings" names the link table tbl_booking, since no other table is named so', () => {
  assert.deepEqual(sortedRows(run('number of bookings per slot').rows), sortedRows([['MON-07', 2], ['TUE-18', 2], ['WED-09', 1]]));
});

test('"classes nobody is booked in": the participle names tbl_booking by its stem, "nobody" negates it', () => {
  assert.deepEqual(run('classes nobody is booked in').rows, [['B1', 'Boxing', null]]);
});

test('"each class title with the last name of its trainer": classes are the subject, the trainer is related (kept when there is none)', () => {
  assert.deepEqual(sortedRows(run('each class title with the last name of its trainer').rows), sortedRows([['Yoga', 'Berg'], ['Spin', 'Dahl'], ['Pilates', 'Lie'], ['Boxing', null]]));
});

test('of two equally short ways to members, the one through the table the rating is in (bookings), not the trainer\'s coached members', () => {
  const { rows, sql } = run('for each class the member with the highest rating (class title, member last name, rating)');
  assert.match(sql, /JOIN tbl_booking/);
  assert.doesNotMatch(sql, /coach_id/);
  assert.deepEqual(sortedRows(rows), sortedRows([['Yoga', 'Aas', 4.5], ['Spin', 'Aas', 5], ['Pilates', 'Moe', null]]));
});
