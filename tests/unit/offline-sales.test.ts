/**
 * The offline planner on a made-up sales ledger in PascalCase with habits a Chinook-like blind trial found:
 * a money column called `Total`, a duration in `Milliseconds`, a key to its own table called `ReportsTo`,
 * a two-word table (`SaleLine`), a price in two tables (the list price and the price on the line), and keys
 * named as nouns (`AccountRepId`: "their account rep"). Each request is parsed, built and run on an in-memory
 * SQLite copy; the rows are checked.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Equality } from '../../src/agent/providers/offline/sql-builder.js';
import { runRequest, sortedRows } from '../support/offline-schema.js';

const DDL = `
  CREATE TABLE Clerk (ClerkId INTEGER PRIMARY KEY, LastName TEXT NOT NULL, FirstName TEXT NOT NULL, ReportsTo INTEGER REFERENCES Clerk(ClerkId));
  CREATE TABLE Client (ClientId INTEGER PRIMARY KEY, LastName TEXT NOT NULL, Country TEXT, AccountRepId INTEGER REFERENCES Clerk(ClerkId));
  CREATE TABLE Product (ProductId INTEGER PRIMARY KEY, Name TEXT NOT NULL, UnitPrice REAL NOT NULL);
  CREATE TABLE Clip (ClipId INTEGER PRIMARY KEY, Title TEXT NOT NULL, Milliseconds INTEGER NOT NULL, ProductId INTEGER REFERENCES Product(ProductId));
  CREATE TABLE Sale (SaleId INTEGER PRIMARY KEY, ClientId INTEGER NOT NULL REFERENCES Client(ClientId), SaleDate TEXT NOT NULL, Total REAL NOT NULL);
  CREATE TABLE SaleLine (SaleLineId INTEGER PRIMARY KEY, SaleId INTEGER NOT NULL REFERENCES Sale(SaleId), ProductId INTEGER NOT NULL REFERENCES Product(ProductId),
    UnitPrice REAL NOT NULL, Quantity INTEGER NOT NULL);
  INSERT INTO Clerk VALUES (1, 'Lee', 'Ann', NULL), (2, 'Ruiz', 'Ben', 1), (3, 'Okoye', 'Cleo', 1), (4, 'Vance', 'Dirk', 2);
  INSERT INTO Client VALUES (1, 'Abbott', 'Chile', 2), (2, 'Bauer', 'Austria', 2), (3, 'Crane', 'Chile', 3), (4, 'Dorsey', 'Peru', NULL);
  INSERT INTO Product VALUES (1, 'Atlas', 10), (2, 'Beacon', 4);
  INSERT INTO Clip VALUES (1, 'Intro', 65000, 1), (2, 'Tour', 240000, 1), (3, 'Outro', 90000, 2);
  INSERT INTO Sale VALUES (1, 1, '2024-02-01', 18), (2, 1, '2024-05-09', 7), (3, 2, '2024-06-30', 12), (4, 3, '2025-01-15', 3.5);
  INSERT INTO SaleLine VALUES (1, 1, 1, 9, 2), (2, 2, 2, 3.5, 2), (3, 3, 1, 8, 1), (4, 3, 2, 4, 1), (5, 4, 2, 3.5, 1);
`;
const run = (text: string, equalities: Equality[] = []) => runRequest(DDL, text, equalities);

test('"total sales per country" sums the money column called Total', () => {
  assert.deepEqual(sortedRows(run('total sales per country').rows), sortedRows([['Chile', 28.5], ['Austria', 12]]));
});

test('"the 2 longest clips" orders by Milliseconds, a length', () => {
  assert.deepEqual(run('titles of the 2 longest clips').rows, [['Tour'], ['Outro']]);
});

test('"clerks who report to Ann Lee": through ReportsTo, which "report" names but is not shown', () => {
  const ann: Equality[] = [{ column: { table: 'Clerk', column: 'FirstName' }, value: 'Ann' }, { column: { table: 'Clerk', column: 'LastName' }, value: 'Lee' }];
  assert.deepEqual(sortedRows(run('last names of clerks who report to Ann Lee', ann).rows), sortedRows([['Ruiz'], ['Okoye']]));
});

test('"the sale lines of sale 3": two words name SaleLine, a number after a table in the singular is its key', () => {
  assert.deepEqual(sortedRows(run('the sale lines of sale 3').rows.map((r) => [r[0]])), sortedRows([[3], [4]]));
});

test('"the total revenue per client (unit price times quantity of their sale lines)": summed, at the price on the line', () => {
  const { rows, sql } = run('the total revenue per client (unit price times quantity of their sale lines)');
  assert.match(sql, /SUM\((t\d)\.UnitPrice \* \1\.Quantity\)/);
  assert.deepEqual(sortedRows(rows), sortedRows([['Abbott', 25], ['Bauer', 12], ['Crane', 3.5]]));
});

test('keys named as nouns: "the last name of their account rep", "per account rep"', () => {
  assert.deepEqual(sortedRows(run("each client's last name with the last name of their account rep").rows), sortedRows([['Abbott', 'Ruiz'], ['Bauer', 'Ruiz'], ['Crane', 'Okoye'], ['Dorsey', null]]));
  assert.deepEqual(sortedRows(run('number of clients per account rep').rows), sortedRows([['Lee', 0], ['Ruiz', 2], ['Okoye', 1], ['Vance', 0]]));
});

test('"the total sales per client (last name and the sum of ... of their sale lines)": the bracket spells out the total, of the two-word table\'s rows', () => {
  const { rows, sql } = run('the total sales per client (last name and the sum of unit price times quantity of their sale lines)');
  assert.doesNotMatch(sql, /SUM\([^)]*Total/, 'not the Sale.Total of "sales" besides');
  assert.deepEqual(sortedRows(rows), sortedRows([['Abbott', 25], ['Bauer', 12], ['Crane', 3.5]]));
});
