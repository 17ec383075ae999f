/**
 * The offline planner's parser and SQL builder on a schema made up here (a library: authors, books,
 * a book_creator link table with a role, members, loans), never the demo: each request is parsed,
 * built into SQL and run on an in-memory SQLite copy of the schema, and the rows are checked.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseIntent } from '../../src/agent/providers/offline/intent.js';
import type { Equality } from '../../src/agent/providers/offline/sql-builder.js';
import { runRequest, schemaOf, sortedRows } from '../support/offline-schema.js';

const DDL = `
  CREATE TABLE writer (writer_id INTEGER PRIMARY KEY, display_name TEXT NOT NULL, born INTEGER, homeland TEXT);
  CREATE TABLE volume (volume_id INTEGER PRIMARY KEY, title TEXT NOT NULL, pages INTEGER, published INTEGER, shelf TEXT);
  CREATE TABLE volume_writer (volume_id INTEGER REFERENCES volume(volume_id), writer_id INTEGER REFERENCES writer(writer_id), role TEXT, PRIMARY KEY (volume_id, writer_id, role));
  CREATE TABLE member (member_id INTEGER PRIMARY KEY, full_name TEXT NOT NULL, town TEXT);
  CREATE TABLE loan (loan_id INTEGER PRIMARY KEY, volume_id INTEGER REFERENCES volume(volume_id), member_id INTEGER REFERENCES member(member_id), days INTEGER, loaned_on TEXT);
  INSERT INTO writer VALUES (1, 'Agnès Morel', 1950, 'France'), (2, 'Tove Berg', 1972, 'Sweden'), (3, 'Ilse Roth', 1988, 'Austria');
  INSERT INTO volume VALUES (1, 'Salt Roads', 320, 1994, 'A'), (2, 'Blue Hour', 180, 2005, 'B'), (3, 'Paper Boats', 90, 2019, 'A'), (4, 'Night Ferry', 410, 1999, 'C');
  INSERT INTO volume_writer VALUES (1, 1, 'author'), (2, 1, 'illustrator'), (2, 2, 'author'), (3, 3, 'author'), (3, 1, 'illustrator'), (4, 2, 'author');
  INSERT INTO member VALUES (1, 'Jonas Weiß', 'Graz'), (2, 'Maëlle Petit', 'Lyon'), (3, 'Omar Haddad', 'Graz');
  INSERT INTO loan VALUES (1, 1, 1, 14, '2024-01-03'), (2, 1, 2, 7, '2024-02-10'), (3, 2, 1, 21, '2023-11-30'), (4, 4, 1, 3, '2024-05-01');
`;

const setup = () => schemaOf(DDL, { 'volume_writer.role': ['author', 'illustrator'] });
const run = (text: string, equalities: Equality[] = []) => runRequest(DDL, text, equalities, { 'volume_writer.role': ['author', 'illustrator'] });
const sorted = sortedRows;

describe('schema model', () => {
  test('finds link tables with their qualifier column, label columns, and the shortest foreign-key path both ways', () => {
    const { model } = setup();
    assert.equal(model.table('volume_writer')?.link, true);
    assert.deepEqual(model.table('volume_writer')?.qualifiers, ['role']);
    assert.equal(model.table('loan')?.link, false, 'a table with its own columns is not a link');
    assert.equal(model.table('writer')?.label, 'display_name');
    assert.equal(model.table('member')?.label, 'full_name');
    assert.deepEqual(model.path('writer', 'member')?.map((h) => h.to), ['volume_writer', 'volume', 'loan', 'member']);
    assert.deepEqual(model.tablesNamed('volumes'), ['volume']);
    assert.deepEqual(model.tablesNamed('writers'), ['writer']);
  });
});

describe('request -> intent -> SQL, run on the schema', () => {
  test('projection by name and synonym, a comparison after the column it names', () => {
    const { rows, intent } = run('titles and pages of volumes with more than 200 pages');
    assert.equal(intent.base, 'volume');
    assert.deepEqual(sorted(rows), sorted([['Salt Roads', 320], ['Night Ferry', 410]]));
    // "born" is a birth year: the synonym picks the column.
    assert.deepEqual(sorted(run('names of writers born before 1980').rows), sorted([['Agnès Morel'], ['Tove Berg']]));
  });

  test('"above 300" and "above 100" are different queries', () => {
    const high = run('volumes with more than 300 pages');
    const low = run('volumes with more than 100 pages');
    assert.notEqual(high.sql, low.sql);
    assert.equal(high.rows.length, 2);
    assert.equal(low.rows.length, 3);
  });

  test('a bare year goes to the one date-like column; a decade is a range; a year on a text date is a date range', () => {
    assert.deepEqual(sorted(run('titles of volumes after 2000').rows), sorted([['Blue Hour'], ['Paper Boats']]));
    assert.deepEqual(sorted(run('titles of volumes published in the 1990s').rows), sorted([['Salt Roads'], ['Night Ferry']]));
    assert.equal(run('number of loans in 2024').rows[0]?.[0], 3);
  });

  test('a link table\'s qualifier comes from the verb, the value from search, related rows by their label', () => {
    const agnes: Equality = { column: { table: 'writer', column: 'display_name' }, value: 'Agnès Morel' };
    const written = run('titles of volumes written by Agnes Morel', [agnes]);
    assert.deepEqual(written.intent.values.map((v) => v.text), ['Agnes Morel']);
    const illustrated = run('titles of volumes illustrated by Agnes Morel', [agnes]);
    assert.deepEqual(illustrated.intent.qualifiers.map((q) => q.value), ['illustrator']);
    assert.deepEqual(sorted(illustrated.rows), sorted([['Blue Hour'], ['Paper Boats']]));
  });

  test('counts per subject keep the ones with none; HAVING on aggregates; anti-joins', () => {
    const perMember = run('number of loans per member');
    assert.deepEqual(sorted(perMember.rows), sorted([['Jonas Weiß', 3], ['Maëlle Petit', 1], ['Omar Haddad', 0]]));
    assert.deepEqual(run('names of members with at least 2 loans').rows, [['Jonas Weiß']]);
    assert.deepEqual(sorted(run('titles of volumes with no loans').rows), sorted([['Paper Boats']]));
    assert.deepEqual(sorted(run('volumes whose average days is above 10, with that average').rows), sorted([['Salt Roads', 10.5], ['Blue Hour', 21]]));
  });

  test('group by a column, several aggregates, top N by a column, distinct', () => {
    assert.deepEqual(sorted(run('how many volumes and their average pages per shelf').rows), sorted([['A', 2, 205], ['B', 1, 180], ['C', 1, 410]]));
    assert.deepEqual(run('the top 2 volumes by pages (title)').rows, [['Night Ferry'], ['Salt Roads']]);
    assert.deepEqual(sorted(run('distinct towns of members').rows), sorted([['Graz'], ['Lyon']]));
    // Ties share a rank; "highest first" is a direction, not a column.
    assert.deepEqual(run('rank the members by number of loans, highest first (name, count and rank)').rows, [['Jonas Weiß', 3, 1], ['Maëlle Petit', 1, 2], ['Omar Haddad', 0, 3]]);
  });

  test('a column of a related table, qualified by the table named before it, several hops away', () => {
    const { rows, sql } = run("each loan's days with its member's town");
    assert.match(sql, /JOIN member/);
    assert.deepEqual(sorted(rows), sorted([[14, 'Graz'], [7, 'Lyon'], [21, 'Graz'], [3, 'Graz']]));
  });

  test('words it cannot place are reported, not dropped', () => {
    const { model } = setup();
    const intent = parseIntent('volumes with more than 100 pages and a shiny cover', model);
    assert.deepEqual(intent.values.map((v) => v.text), ['shiny cover'], 'looked up, and named when search finds nothing');
  });
});
