/**
 * The offline planner's request shapes beyond one plain SELECT, on a schema made up here (a running
 * league: clubs, athletes, races and an `entry` link table), never the demo: the best row per group,
 * running totals, time buckets, arithmetic and ages, an aggregate over a related level, pairs sharing a
 * row. Each request is parsed, built into SQL and run, and the rows are checked.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseIntent } from '../../src/agent/providers/offline/intent.js';
import { runRequest, schemaOf, sortedRows } from '../support/offline-schema.js';

const DDL = `
  CREATE TABLE club (club_id INTEGER PRIMARY KEY, club_name TEXT NOT NULL, city TEXT);
  CREATE TABLE athlete (athlete_id INTEGER PRIMARY KEY, full_name TEXT NOT NULL, born_on TEXT, club_id INTEGER REFERENCES club(club_id), points INTEGER);
  CREATE TABLE race (race_id INTEGER PRIMARY KEY, race_title TEXT NOT NULL, race_date TEXT, distance_km REAL);
  CREATE TABLE entry (race_id INTEGER REFERENCES race(race_id), athlete_id INTEGER REFERENCES athlete(athlete_id), finish_minutes INTEGER, PRIMARY KEY (race_id, athlete_id));
  INSERT INTO club VALUES (1, 'Harriers', 'Leeds'), (2, 'Striders', 'Bern');
  INSERT INTO athlete VALUES (1, 'Inès Laurent', '1990-05-20', 1, 40), (2, 'Karl Odum', '1985-11-02', 1, 75), (3, 'Mia Sato', '2001-01-15', 2, 60), (4, 'Lev Adler', '1979-07-30', 2, 60);
  INSERT INTO race VALUES (1, 'Spring Ten', '2020-04-12', 10), (2, 'Lake Half', '2021-09-05', 21.1), (3, 'City Five', '2021-03-01', 5);
  INSERT INTO entry VALUES (1, 1, 52), (1, 2, 47), (1, 3, 60), (2, 1, 110), (2, 2, 101), (3, 3, 24), (3, 4, 30), (3, 1, 27);
`;

const run = (text: string) => runRequest(DDL, text);
const rowsOf = (text: string) => sortedRows(run(text).rows);

describe('the best rows per group', () => {
  test('"the X with the most Y for each Z": ties are all kept unless a tie-break is asked for', () => {
    assert.deepEqual(rowsOf('for each club the athlete with the most points (club name, full name, points)'), sortedRows([['Harriers', 'Karl Odum', 75], ['Striders', 'Mia Sato', 60], ['Striders', 'Lev Adler', 60]]));
    assert.deepEqual(
      rowsOf('for each club the athlete with the most points (club name, full name, points), ties broken alphabetically'),
      sortedRows([['Harriers', 'Karl Odum', 75], ['Striders', 'Lev Adler', 60]]),
    );
  });

  test('"the 2 X with the most Y" is a top N by a count; "most first" orders the only aggregate', () => {
    const top = run('the 2 athletes with the most entries').rows;
    assert.equal(top.length, 2);
    assert.deepEqual(top[0], ['Inès Laurent', 3]);
    assert.deepEqual(run('number of entries per race, most first').rows.map((r) => r[1]), [3, 3, 2]);
  });

  test('"their oldest / most recent X" orders by the table\'s date', () => {
    assert.deepEqual(rowsOf('for each club their oldest athlete (club name, full name)'), sortedRows([['Harriers', 'Karl Odum'], ['Striders', 'Lev Adler']]));
  });

  test('"the X with the most <table> per <bucket>": counted per group, the best kept', () => {
    assert.deepEqual(rowsOf('for each race date year export the race title with the most entries, with its count'), sortedRows([[2020, 'Spring Ten', 3], [2021, 'City Five', 3]]));
  });
});

describe('running aggregates, buckets, arithmetic, levels, pairs', () => {
  test('a running total in the order asked, and a running count per partition', () => {
    assert.deepEqual(run('the race title, race date and the running total of distance km ordered by race date').rows, [
      ['Spring Ten', '2020-04-12', 10],
      ['City Five', '2021-03-01', 15],
      ['Lake Half', '2021-09-05', 36.1],
    ]);
    assert.deepEqual(
      rowsOf('for every entry the full name, race title and the running count of entries of that athlete (by race date)'),
      sortedRows([
        ['Inès Laurent', 'Spring Ten', 1], ['Inès Laurent', 'City Five', 2], ['Inès Laurent', 'Lake Half', 3],
        ['Karl Odum', 'Spring Ten', 1], ['Karl Odum', 'Lake Half', 2],
        ['Mia Sato', 'Spring Ten', 1], ['Mia Sato', 'City Five', 2],
        ['Lev Adler', 'City Five', 1],
      ]),
    );
  });

  test('time buckets of a date stored as text: decade and month', () => {
    assert.deepEqual(rowsOf('number of athletes per decade'), sortedRows([[1970, 1], [1980, 1], [1990, 1], [2000, 1]]));
    assert.deepEqual(rowsOf('number of races per month'), sortedRows([['2020-04', 1], ['2021-03', 1], ['2021-09', 1]]));
  });

  test('arithmetic between columns of related tables, and an age from two dates', () => {
    assert.deepEqual(rowsOf('race title, full name and finish minutes divided by distance km of every entry').filter((r) => r.includes('Spring Ten')), sortedRows([['Spring Ten', 'Inès Laurent', 5.2], ['Spring Ten', 'Karl Odum', 4.7], ['Spring Ten', 'Mia Sato', 6]]));
    // Completed years: Inès (born 1990-05-20) is 29 on 2020-04-12 and 31 on 2021-09-05.
    const ages = run("each athlete's full name, the race title and the athlete's age at the race date").rows;
    assert.deepEqual(ages.filter((r) => r[0] === 'Inès Laurent').map((r) => r[2]).sort(), [29, 30, 31]);
  });

  test('an aggregate over a related level beside each row', () => {
    assert.deepEqual(rowsOf("each athlete's name, points and the average points of all athletes of its club"), sortedRows([['Inès Laurent', 40, 57.5], ['Karl Odum', 75, 57.5], ['Mia Sato', 60, 60], ['Lev Adler', 60, 60]]));
  });

  test('pairs sharing a row through a link table, each pair once, with how many they share', () => {
    assert.deepEqual(
      rowsOf('pairs of athletes who ran in the same race with how many races they shared'),
      sortedRows([
        ['Inès Laurent', 'Karl Odum', 2], ['Inès Laurent', 'Mia Sato', 2], ['Karl Odum', 'Mia Sato', 1],
        ['Inès Laurent', 'Lev Adler', 1], ['Lev Adler', 'Mia Sato', 1],
      ]),
    );
  });
});

describe('what a shape cannot place is reported, not dropped', () => {
  const { model } = schemaOf(DDL);
  test('an age without a moment, a tie-break with nothing picked per group', () => {
    assert.match(parseIntent('the full name and age of every athlete', model).unplaced.join(), /age/);
    assert.match(parseIntent('athletes with their points, ties broken alphabetically', model).unplaced.join(), /ties/);
  });
});
