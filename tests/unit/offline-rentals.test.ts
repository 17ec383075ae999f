/**
 * The offline planner on a made-up bike-rental schema with habits a Sakila-shaped blind trial found: a
 * table with a column of its own name (`region.region`), a rating next to a rate (`rating`, `rental_rate`),
 * a length without a unit in its name, and rows related only through another table (a station's trips
 * go through its docks). Each request is parsed, built and run on an in-memory SQLite copy; the rows are checked.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Equality } from '../../src/agent/providers/offline/sql-builder.js';
import { runRequest, sortedRows } from '../support/offline-schema.js';

const DDL = `
  CREATE TABLE region (region_id INTEGER PRIMARY KEY, region TEXT NOT NULL);
  CREATE TABLE station (station_id INTEGER PRIMARY KEY, name TEXT NOT NULL, region_id INTEGER REFERENCES region(region_id));
  CREATE TABLE dock (dock_id INTEGER PRIMARY KEY, station_id INTEGER NOT NULL REFERENCES station(station_id));
  CREATE TABLE bike (bike_id INTEGER PRIMARY KEY, model TEXT NOT NULL, rating TEXT, rental_rate REAL);
  CREATE TABLE trip (trip_id INTEGER PRIMARY KEY, bike_id INTEGER REFERENCES bike(bike_id), dock_id INTEGER REFERENCES dock(dock_id), length INTEGER);
  INSERT INTO region VALUES (1, 'North'), (2, 'South');
  INSERT INTO station VALUES (1, 'Pier', 1), (2, 'Park', 1), (3, 'Mill', 2);
  INSERT INTO dock VALUES (1, 1), (2, 1), (3, 2), (4, 3);
  INSERT INTO bike VALUES (1, 'Swift', 'A', 2.5), (2, 'Rover', 'B', 1.5), (3, 'Comet', 'A', 3);
  INSERT INTO trip VALUES (1, 1, 1, 12), (2, 2, 2, 45), (3, 3, 3, 31);
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
  assert.deepEqual(sortedRows(rows), sortedRows([[1, 'Swift', 'A', 2.5], [3, 'Comet', 'A', 3]]));
});

test('"longer than 30 minutes" compares the length as stored, and says so', () => {
  const { rows, intent } = run('trips longer than 30 minutes');
  assert.deepEqual(sortedRows(rows.map((r) => [r[0]])), sortedRows([[2], [3]]));
  assert.ok(intent.notes.some((n) => n.includes('"more than 30 minutes" compares trip.length as stored')), intent.notes.join('; '));
  assert.deepEqual(intent.values, [], 'the unit is not searched for as a value');
});
