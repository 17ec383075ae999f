/**
 * The offline planner on a made-up club roster with habits an `employees`-shaped blind trial found: two dates
 * on a row (a birth date first, the one the request names second), a grouping by a time unit with nothing
 * counted, a column named right before the value it holds ("whose family name is Okafor", "with the
 * tier Gold"), a superlative of one thing ("the highest fee", beside a `fees` table), and a plural naming a
 * table and its own measure ("fees above 50", "the 2 highest fees"), rows that hold for a period ("the current
 * subscriptions": `ends_on` empty or after today), and a column listed again in brackets. Each request is parsed, built and run on an in-memory SQLite copy; the rows are checked.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Equality } from '../../src/agent/providers/offline/sql-builder.js';
import { runRequest, sortedRows } from '../support/offline-schema.js';

const DDL = `
  CREATE TABLE members (member_no INTEGER PRIMARY KEY, born DATE NOT NULL, given_name TEXT NOT NULL, family_name TEXT NOT NULL, join_date DATE NOT NULL, tier TEXT NOT NULL);
  INSERT INTO members VALUES (1, '1980-03-01', 'Ada', 'Okafor', '2019-05-01', 'Gold'), (2, '1980-07-09', 'Bo', 'Lind', '2019-11-30', 'Silver'),
    (3, '1991-01-15', 'Cy', 'Okafor', '2021-02-02', 'Gold'), (4, '1975-12-24', 'Di', 'Moss', '2023-08-08', 'Bronze');
  CREATE TABLE fees (fee_no INTEGER PRIMARY KEY, member_no INTEGER NOT NULL REFERENCES members(member_no), fee INTEGER NOT NULL);
  INSERT INTO fees VALUES (1, 1, 40), (2, 1, 90), (3, 2, 65);
  CREATE TABLE plans (plan_no INTEGER PRIMARY KEY, title TEXT NOT NULL, price REAL NOT NULL);
  INSERT INTO plans VALUES (1, 'Basic', 10), (2, 'Plus', 25), (3, 'Max', 40);
  CREATE TABLE subscriptions (member_no INTEGER NOT NULL REFERENCES members(member_no), plan_no INTEGER NOT NULL REFERENCES plans(plan_no), started DATE NOT NULL, ends_on DATE);
  INSERT INTO subscriptions VALUES (1, 1, '2019-05-01', '2020-05-01'), (1, 3, '2020-05-01', '9999-12-31'), (2, 2, '2019-12-01', NULL), (3, 1, '2021-02-02', '2022-02-02');
`;
const run = (text: string, equalities: Equality[] = []) => runRequest(DDL, text, equalities);

test('"members joined per year" buckets the date the participle names, not the first date of the row', () => {
  assert.deepEqual(sortedRows(run('number of members joined per year').rows), sortedRows([[2019, 2], [2021, 1], [2023, 1]]));
});

test('a grouping with nothing counted, summed or averaged is said, not quietly dropped', () => {
  assert.deepEqual(run('the members per year').intent.unplaced, ['per year of born (nothing is counted, summed or averaged per group)']);
  assert.deepEqual(run('the members joined per year').intent.unplaced, ['per year of join_date (nothing is counted, summed or averaged per group)']);
});

test('"whose family name is Okafor" and "with the tier Gold" say where the value is: the members are shown whole', () => {
  const okafor: Equality[] = [{ column: { table: 'members', column: 'family_name' }, value: 'Okafor' }];
  const whole = run('the members whose family name is Okafor', okafor);
  assert.deepEqual(whole.rows.map((row) => row.length), [6, 6]);
  assert.deepEqual(sortedRows(whole.rows.map((row) => [row[0]])), sortedRows([[1], [3]]));
  const gold: Equality[] = [{ column: { table: 'members', column: 'tier' }, value: 'Gold' }];
  assert.deepEqual(run('the members with the tier Gold', gold).rows.map((row) => row.length), [6, 6]);
  // Named as an output, the column stays one.
  assert.deepEqual(sortedRows(run('the family name of members with the tier Gold', gold).rows), sortedRows([['Okafor'], ['Okafor']]));
});

test('a superlative of one thing is one row; of several, every row in order', () => {
  assert.deepEqual(run('the highest fee').rows, [[2, 1, 90]]);
  assert.deepEqual(run('the most expensive plan').rows, [[3, 'Max', 40]]);
  assert.deepEqual(run('the plan with the highest price').rows, [[3, 'Max', 40]]);
  assert.deepEqual(run('the most expensive plans').rows.map((row) => row[1]), ['Max', 'Plus', 'Basic']);
  assert.deepEqual(run('the 2 most expensive plans').rows.map((row) => row[1]), ['Max', 'Plus']);
});

test('"fees above 50" and "the 2 highest fees" compare and order by the fee, and show it', () => {
  assert.deepEqual(sortedRows(run('the fees above 50').rows), sortedRows([[2, 1, 90], [3, 2, 65]]));
  assert.deepEqual(run('the 2 highest fees with the given name of the member').rows, [[90, 'Ada'], [65, 'Bo']]);
  // Named as rows, the table stays the table.
  assert.deepEqual(run('all fees').rows.length, 3);
});

test('a count ordered by and spelled out again in brackets stays the ordering', () => {
  const { intent, rows } = run('the member with the most fees (given name and number of fees)');
  assert.deepEqual(intent.unplaced, []);
  assert.deepEqual(rows, [['Ada', 2]]);
});

test('"current" rows are those whose period has not ended (empty, or a far-future end date); said, and only where a period ends', () => {
  const current = run('the current subscriptions');
  assert.deepEqual(sortedRows(current.rows.map((row) => [row[0], row[1]])), sortedRows([[1, 3], [2, 2]]));
  assert.deepEqual(current.intent.notes, ['"current" = subscriptions.ends_on empty or after today']);
  assert.equal(run('the subscriptions').rows.length, 4);
  // plans have no period: "current" is not placed, so it is said or asked about.
  const plans = run('the current plans');
  assert.deepEqual(plans.intent.ongoing, []);
  assert.ok(plans.intent.unplaced.length > 0 || plans.intent.values.some((v) => v.text === 'current'), JSON.stringify(plans.intent));
});

test('"each member\'s" is every member, not a grouping; a column listed again in brackets is shown once, where they put it', () => {
  assert.deepEqual(run("each member's tier").intent.unplaced, []);
  assert.deepEqual(run('the fees per member').intent.unplaced, ['per members (nothing is counted, summed or averaged per group)']);
  const listed = run("each member's tier (given name and tier)");
  assert.deepEqual(listed.sql.match(/SELECT\s+([\s\S]*?)\s+FROM/)![1]!.split(/,\s*/), ['t0.given_name', 't0.tier']);
});
