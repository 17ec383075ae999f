/**
 * The offline planner on a made-up bike-rental schema with habits a Sakila-shaped blind trial found: a
 * table with a column of its own name (`region.region`), a rating next to a rate (`rating`, `rental_rate`),
 * a length without a unit in its name, rows related only through another table (a station's trips go
 * through its docks), a one-word yes/no (`retired`), a count that may be empty or 0, and three dates on a trip. Each request is parsed, built and run on an in-memory SQLite copy; the rows are checked.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Equality } from '../../src/agent/providers/offline/sql-builder.js';
import { runRequest, sortedRows } from '../support/offline-schema.js';

const DDL = `
  CREATE TABLE region (region_id INTEGER PRIMARY KEY, region TEXT NOT NULL);
  CREATE TABLE station (station_id INTEGER PRIMARY KEY, name TEXT NOT NULL, region_id INTEGER REFERENCES region(region_id));
  CREATE TABLE dock (dock_id INTEGER PRIMARY KEY, station_id INTEGER NOT NULL REFERENCES station(station_id));
  CREATE TABLE bike (bike_id INTEGER PRIMARY KEY, model TEXT NOT NULL, rating TEXT, rental_rate REAL, retired INTEGER NOT NULL, spare_parts INTEGER);
  CREATE TABLE trip (trip_id INTEGER PRIMARY KEY, bike_id INTEGER REFERENCES bike(bike_id), dock_id INTEGER REFERENCES dock(dock_id), length INTEGER,
    trip_date TEXT, due_on TEXT, returned_on TEXT);
  INSERT INTO region VALUES (1, 'North'), (2, 'South');
  INSERT INTO station VALUES (1, 'Pier', 1), (2, 'Park', 1), (3, 'Mill', 2);
  INSERT INTO dock VALUES (1, 1), (2, 1), (3, 2), (4, 3);
  INSERT INTO bike VALUES (1, 'Swift', 'A', 2.5, 0, 3), (2, 'Rover', 'B', 1.5, 1, 0), (3, 'Comet', 'A', 3, 0, NULL);
  INSERT INTO trip VALUES (1, 1, 1, 12, '2023-12-30', '2024-01-02', '2024-01-01'), (2, 2, 2, 45, '2024-03-01', '2024-03-02', '2024-03-05'), (3, 3, 3, 31, '2024-06-10', '2024-06-11', NULL);
`;
const run = (text: string, equalities: Equality[] = []) => runRequest(DDL, text, equalities);

test('"stations with no trips" finds none at the end of the whole path (station -> dock -> trip), not merely no docks', () => {
  const { rows, sql } = run('stations with no trips');
  assert.match(sql, /NOT EXISTS \(SELECT 1 FROM dock x0 JOIN trip x1/);
  assert.deepEqual(rows, [[3, 'Mill', 2]]);
});

test('"regions" names the rows of region, not its column region', () => {
  assert.deepEqual(sortedRows(run('regions').rows), sortedRows([[1, 'North'], [2, 'South']]));
  assert.deepEqual(run('the region of each station').rows.map((r) => r.length), [1, 1, 1]);
});

test('"bikes rated A": the participle says where the value is, it is no output (and not the rental rate)', () => {
  const { rows } = run('bikes rated A', [{ column: { table: 'bike', column: 'rating' }, value: 'A' }]);
  assert.deepEqual(sortedRows(rows.map((r) => [r[1]])), sortedRows([['Swift'], ['Comet']]));
});

test('"longer than 30 minutes" compares the length as stored, and says so', () => {
  const { rows, intent } = run('trips longer than 30 minutes');
  assert.deepEqual(sortedRows(rows.map((r) => [r[0]])), sortedRows([[2], [3]]));
  assert.ok(intent.notes.some((n) => n.includes('"more than 30 minutes" compares trip.length as stored')), intent.notes.join('; '));
  assert.deepEqual(intent.values, [], 'the unit is not searched for as a value');
});

test('a one-word adjective naming an integer every row has is a yes/no ("retired bikes"); "no spare parts" is empty or 0', () => {
  assert.deepEqual(run('models of retired bikes').rows, [['Rover']]);
  assert.deepEqual(sortedRows(run('models of bikes with no spare parts').rows), sortedRows([['Rover'], ['Comet']]));
});

test('"trips in 2024" is by the date named after the table (trip_date), said; "returned after their due date" compares two columns', () => {
  const { rows, intent } = run('trips in 2024');
  assert.deepEqual(sortedRows(rows.map((r) => [r[0]])), sortedRows([[2], [3]]));
  assert.ok(intent.notes.some((n) => n.includes('is by trip.trip_date')), intent.notes.join('; '));
  const late = run('trips returned after their due date');
  assert.match(late.sql, /returned_on > t0\.due_on/);
  assert.deepEqual(late.rows.map((r) => r[0]), [2]);
});
