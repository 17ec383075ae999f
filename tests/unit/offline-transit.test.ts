/**
 * The offline planner on a made-up transit schema with habits neither shipped suite has: camelCase
 * columns, columns prefixed with an abbreviation of their table (`rdr_last_name`), two name-like columns,
 * nullable dates, a link table whose role values are also nouns. Each request is parsed, built and run on
 * an in-memory SQLite copy; the rows are checked.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findTerms } from '../../src/agent/providers/offline/find.js';
import { parseIntent } from '../../src/agent/providers/offline/intent.js';
import type { Equality } from '../../src/agent/providers/offline/sql-builder.js';
import { splitCells } from '../../src/agent/providers/offline/values.js';
import { runRequest, schemaOf, sortedRows } from '../support/offline-schema.js';

const DDL = `
  CREATE TABLE Stations (stnId INTEGER PRIMARY KEY, short_name TEXT, stnName TEXT NOT NULL, zoneNo INTEGER, platforms INTEGER);
  CREATE TABLE rider (rdr_id INTEGER PRIMARY KEY, rdr_first_name TEXT, rdr_last_name TEXT NOT NULL, homeTown TEXT);
  CREATE TABLE driver (drv_id INTEGER PRIMARY KEY, last_name TEXT NOT NULL, salary REAL, startedOn DATE, supervisor_id INTEGER REFERENCES driver(drv_id));
  CREATE TABLE trip (trip_id INTEGER PRIMARY KEY, rdr_id INTEGER REFERENCES rider(rdr_id), stnId INTEGER REFERENCES Stations(stnId), fare REAL, tripDate TEXT, refundedOn DATE);
  CREATE TABLE crew (trip_id INTEGER REFERENCES trip(trip_id), drv_id INTEGER REFERENCES driver(drv_id), role TEXT, PRIMARY KEY (trip_id, drv_id, role));
  INSERT INTO Stations VALUES (1, 'CEN', 'Central', 1, 4), (2, 'HBF', 'Harbourfront', 2, 2), (3, 'OAK', 'Oakridge', 3, 1);
  INSERT INTO rider VALUES (1, 'Åsa', 'Lund', 'Graz'), (2, 'Marc', 'Petit', 'Lyon'), (3, NULL, 'Okoro', 'Graz');
  INSERT INTO driver VALUES (1, 'Brandt', 52000, '2009-05-01', NULL), (2, 'Keller', 41000, '2016-02-01', 1), (3, 'Nowak', 39000, '2021-09-13', 1);
  INSERT INTO trip VALUES (1, 1, 1, 2.5, '2023-12-30', NULL), (2, 1, 2, 4.0, '2024-01-04', '2024-01-09'), (3, 2, 3, 6.5, '2024-03-15', NULL), (4, 3, 1, 2.5, '2024-07-01', NULL);
  INSERT INTO crew VALUES (1, 2, 'driver'), (1, 3, 'conductor'), (2, 2, 'driver'), (3, 3, 'driver'), (4, 2, 'driver'), (4, 1, 'conductor');
`;
const ROLES = { 'crew.role': ['driver', 'conductor'] };
const run = (text: string, equalities: Equality[] = []) => runRequest(DDL, text, equalities, ROLES);

describe('naming habits', () => {
  test('the label is the name every row has, prefixed by its table, over a nullable "short_name"', () => {
    const { model } = schemaOf(DDL, ROLES);
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

  test('"trip date" names the camelCase text date tripDate, which takes a year as a date range', () => {
    assert.deepEqual(sortedRows(run('fares of trips with a trip date in 2024').rows), sortedRows([[4], [6.5], [2.5]]));
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

describe('conditions', () => {
  test('"with no refund date" and "not refunded yet" are IS NULL on the subject\'s column, not an anti-join of the subject with itself', () => {
    const expected = sortedRows([[2.5], [6.5], [2.5]]);
    assert.deepEqual(sortedRows(run('fares of trips with no refund date').rows), expected);
    assert.deepEqual(sortedRows(run('fares of trips that have not been refunded yet').rows), expected);
  });

  test('an aggregate named twice is one column, where it was named last', () => {
    const { rows, intent } = run('average fare per station (station name and average fare)');
    assert.equal(intent.aggregates.length, 1);
    assert.deepEqual(sortedRows(rows), sortedRows([['Central', 2.5], ['Harbourfront', 4], ['Oakridge', 6.5]]));
  });

  test('no table named and "last names" fit riders and drivers alike: both are subject options, and the one a value is found in is the subject', () => {
    const { model } = schemaOf(DDL, ROLES);
    const first = parseIntent('last names of all conductors', model);
    assert.deepEqual(first.subjectOptions?.sort(), ['driver', 'rider']);
    const { rows } = runRequest(DDL, 'last names of all conductors', [{ column: { table: 'crew', column: 'role' }, value: 'conductor' }], ROLES, 'driver');
    assert.deepEqual(sortedRows(rows), sortedRows([['Brandt'], ['Nowak']]));
  });

  test('a role noun qualifies the link only as a role ("was the conductor"), not as a bare plural ("all conductors")', () => {
    assert.deepEqual(run('last names of all conductors').intent.qualifiers, []);
    const { rows } = run('fares of trips where Nowak was the conductor', [{ column: { table: 'driver', column: 'last_name' }, value: 'Nowak' }]);
    assert.deepEqual(sortedRows(rows), sortedRows([[2.5]]));
  });

  test('"the best trip date" names no measure: it is not read as ordering by the date', () => {
    const { intent } = run('the best trip date for riders from Graz');
    assert.equal(intent.order, undefined);
    assert.ok(intent.unplaced.some((u) => u.startsWith('best trip')), intent.unplaced.join('; '));
    // An ordering word that ends up ordering nothing is not dropped either.
    assert.deepEqual(run('the highest riders from Graz').intent.unplaced, ['highest (by what?)']);
  });

  test('"the Old Home station" keeps "Home" in the value although a column (homeTown) starts with it', () => {
    const { intent } = run('fares of trips at the Old Home station');
    assert.deepEqual(intent.values.map((v) => v.text), ['Old Home']);
  });

  test('"riders in the Graz home town": a column named right after a value holds it and is not an output', () => {
    const { intent, rows } = run('last names of riders in the Graz home town', [{ column: { table: 'rider', column: 'homeTown' }, value: 'Graz' }]);
    assert.deepEqual(intent.outputs, [{ column: { table: 'rider', column: 'rdr_last_name' } }]);
    assert.deepEqual(intent.values, [{ text: 'Graz', tableHint: 'rider' }]);
    assert.deepEqual(sortedRows(rows), sortedRows([['Lund'], ['Okoro']]));
  });

  test('"riders who were refunded": the participle of a date column, with no moment after it, means the date is set; it is no output', () => {
    const { rows, intent } = run('last names of riders who were refunded');
    assert.deepEqual(intent.outputs, [{ column: { table: 'rider', column: 'rdr_last_name' } }]);
    assert.deepEqual(intent.present, [{ table: 'trip', column: 'refundedOn' }]);
    assert.deepEqual(rows, [['Lund']]);
  });

  test('"each station\'s most recent trip date" is the latest date per station', () => {
    assert.deepEqual(sortedRows(run("each station's name with its most recent trip date").rows), sortedRows([['Central', '2024-07-01'], ['Harbourfront', '2024-01-04'], ['Oakridge', '2024-03-15']]));
  });

  test('drivers filtered through their many crew rows are each listed once (two drivers sharing a name would stay two)', () => {
    const { rows, sql } = run('last names of drivers on trips from Central', [{ column: { table: 'Stations', column: 'stnName' }, value: 'Central' }]);
    assert.match(sql, /IN \(/);
    assert.deepEqual(sortedRows(rows), sortedRows([['Brandt'], ['Keller'], ['Nowak']]));
  });

  test('"Asa Lund" spelled over one row\'s first and last name cells is an equality on each', () => {
    const hit = { table: 'rider', column: 'rdr_last_name', row: { rdr_id: 1, rdr_first_name: 'Åsa', rdr_last_name: 'Lund', homeTown: 'Graz' } };
    const parts = splitCells(hit, 'Asa Lund');
    assert.deepEqual(parts, [{ column: 'rdr_first_name', value: 'Åsa' }, { column: 'rdr_last_name', value: 'Lund' }]);
    assert.equal(splitCells(hit, 'Asa Petit'), undefined, 'a word no cell of the row holds');
    const equalities = parts!.map(({ column, value }) => ({ column: { table: 'rider', column }, value }));
    assert.deepEqual(sortedRows(run('fares of trips of the rider Asa Lund', equalities).rows), sortedRows([[2.5], [4]]));
  });

  test('"in March 2024" is that month of the date named; a bare year goes to the date the rows are bucketed by', () => {
    assert.deepEqual(run('fares of trips with a trip date in March 2024').rows, [[6.5]]);
    // Two dates could take it: the one named after the table (tripDate, not refundedOn), and the reply says so.
    const march = run('fares of trips in March 2024');
    assert.deepEqual(march.rows, [[6.5]]);
    assert.ok(march.intent.notes.some((n) => n.includes('is by trip.tripDate') && n.includes('not refundedOn')), march.intent.notes.join('; '));
    assert.deepEqual(sortedRows(run('number of trips per trip date month in 2024').rows), sortedRows([['2024-01', 1], ['2024-03', 1], ['2024-07', 1]]));
  });

  test('"find the Central station": the kind is named after the value, behind an article', () => {
    assert.deepEqual(findTerms('find the Central station'), { full: 'the Central station', role: 'station', withoutRole: 'Central' });
  });

  test('"the number of platforms" of a station is its platforms column, not a count of rows', () => {
    assert.deepEqual(sortedRows(run('stations with their name and number of platforms').rows), sortedRows([['Central', 4], ['Harbourfront', 2], ['Oakridge', 1]]));
  });
});

describe('groups with nothing to aggregate', () => {
  // Line "Night" has no trips.
  const LINES = `
    CREATE TABLE line (line_id INTEGER PRIMARY KEY, line_name TEXT NOT NULL);
    CREATE TABLE journey (j_id INTEGER PRIMARY KEY, line_id INTEGER REFERENCES line(line_id), fare REAL);
    INSERT INTO line VALUES (1, 'Coast'), (2, 'Night');
    INSERT INTO journey VALUES (1, 1, 2.0), (2, 1, 4.0);
  `;
  const ask = (text: string) => runRequest(LINES, text);

  test('a report "per" group leaves out the groups with no value, and says so', () => {
    const { rows, intent } = ask('average fare per line');
    assert.deepEqual(sortedRows(rows), sortedRows([['Coast', 3]]));
    assert.ok(intent.notes.some((n) => /line rows with no journey are left out \("every line" keeps them/.test(n)), intent.notes.join('; '));
  });

  test('"every" group keeps them, with no value; a count keeps them with 0', () => {
    assert.deepEqual(sortedRows(ask('every line with its average fare').rows), sortedRows([['Coast', 3], ['Night', null]]));
    const { rows, intent } = ask('number of journeys per line');
    assert.deepEqual(sortedRows(rows), sortedRows([['Coast', 2], ['Night', 0]]));
    assert.deepEqual(intent.notes, []);
  });
});
