/**
 * The offline planner on naming habits neither shipped suite has (a made-up transit schema): camelCase
 * columns, columns prefixed with an abbreviation of their table (`rdr_last_name`), two name-like columns.
 * Each request is parsed, built and run on an in-memory SQLite copy; the rows are checked.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Equality } from '../../src/agent/providers/offline/sql-builder.js';
import { runRequest, schemaOf, sortedRows } from '../support/offline-schema.js';

const DDL = `
  CREATE TABLE Stations (stnId INTEGER PRIMARY KEY, short_name TEXT, stnName TEXT NOT NULL, zoneNo INTEGER);
  CREATE TABLE rider (rdr_id INTEGER PRIMARY KEY, rdr_first_name TEXT, rdr_last_name TEXT NOT NULL, homeTown TEXT);
  CREATE TABLE driver (drv_id INTEGER PRIMARY KEY, last_name TEXT NOT NULL, salary REAL, startedOn DATE, supervisor_id INTEGER REFERENCES driver(drv_id));
  CREATE TABLE trip (trip_id INTEGER PRIMARY KEY, rdr_id INTEGER REFERENCES rider(rdr_id), stnId INTEGER REFERENCES Stations(stnId), fare REAL, tripDate TEXT);
  INSERT INTO Stations VALUES (1, 'CEN', 'Central', 1), (2, 'HBF', 'Harbourfront', 2), (3, 'OAK', 'Oakridge', 3);
  INSERT INTO rider VALUES (1, 'Åsa', 'Lund', 'Graz'), (2, 'Marc', 'Petit', 'Lyon'), (3, NULL, 'Okoro', 'Graz');
  INSERT INTO driver VALUES (1, 'Brandt', 52000, '2009-05-01', NULL), (2, 'Keller', 41000, '2016-02-01', 1), (3, 'Nowak', 39000, '2021-09-13', 1);
  INSERT INTO trip VALUES (1, 1, 1, 2.5, '2023-12-30'), (2, 1, 2, 4.0, '2024-01-04'), (3, 2, 3, 6.5, '2024-03-15'), (4, 3, 1, 2.5, '2024-07-01');
`;
const run = (text: string, equalities: Equality[] = []) => runRequest(DDL, text, equalities);

describe('naming habits', () => {
  test('the label is the name every row has, prefixed by its table, over a nullable "short_name"', () => {
    const { model } = schemaOf(DDL);
    assert.equal(model.table('Stations')?.label, 'stnName');
    assert.equal(model.table('rider')?.label, 'rdr_last_name');
    assert.deepEqual(sortedRows(run('number of trips per station').rows), sortedRows([['Central', 2], ['Harbourfront', 1], ['Oakridge', 1]]));
  });

  test('"last name" of riders is rdr_last_name (the table prefix says nothing), not another table\'s last_name', () => {
    const { rows, sql } = run('last names of riders from Graz', [{ column: { table: 'rider', column: 'homeTown' }, value: 'Graz' }]);
    assert.match(sql, /rdr_last_name/);
    assert.deepEqual(sortedRows(rows), sortedRows([['Lund'], ['Okoro']]));
    assert.deepEqual(sortedRows(run("trips with a fare above 3, with the fare and the rider's last name").rows), sortedRows([[4, 'Lund'], [6.5, 'Petit']]));
  });

  test('a camelCase date column ("tripDate", text) takes a year as a date range', () => {
    assert.deepEqual(sortedRows(run('fares of trips in 2024').rows), sortedRows([[4], [6.5], [2.5]]));
  });

  test('"the 2 highest paid drivers (last name and salary)": ordered by the synonym\'s column, not by the next column named', () => {
    const { rows, sql } = run('the 2 highest paid drivers (last name and salary)');
    assert.match(sql, /ORDER BY t0\.salary DESC/);
    assert.deepEqual(sortedRows(rows), sortedRows([['Brandt', 52000], ['Keller', 41000]]));
  });

  test('"start date" names startedOn (a verb and "date"); "lasted" is not the "last" of last_name', () => {
    assert.deepEqual(sortedRows(run('last names and start dates of drivers who started before 2016').rows), sortedRows([['Brandt', '2009-05-01']]));
    const { intent } = run('riders who lasted more than 10 minutes');
    assert.deepEqual(intent.comparisons, []);
    assert.ok(intent.unplaced.some((u) => u.startsWith('more than 10')), intent.unplaced.join('; '));
  });
});
