/**
 * The offline planner on a made-up lending library with habits no shipped suite has: UPPER_CASE and
 * PascalCase names, 0/1 and BOOLEAN yes/no columns, a table with two keys to one table (the branch a book
 * is sent from and the one it goes to), and a subject with two kinds of related rows. Each
 * request is parsed, built and run on an in-memory SQLite copy; the rows are checked.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Equality } from '../../src/agent/providers/offline/sql-builder.js';
import { runRequest, sortedRows } from '../support/offline-schema.js';

const DDL = `
  CREATE TABLE Branch (BRANCH_ID INTEGER PRIMARY KEY, BRANCH_NAME TEXT NOT NULL, TOWN TEXT);
  CREATE TABLE Member (MEMBER_ID INTEGER PRIMARY KEY, FULL_NAME TEXT NOT NULL, IS_SUSPENDED INTEGER NOT NULL);
  CREATE TABLE Book (BOOK_ID INTEGER PRIMARY KEY, TITLE TEXT NOT NULL, ebook BOOLEAN);
  CREATE TABLE Loan (LOAN_ID INTEGER PRIMARY KEY, BOOK_ID INTEGER REFERENCES Book(BOOK_ID), MEMBER_ID INTEGER REFERENCES Member(MEMBER_ID));
  CREATE TABLE Transfer (TRANSFER_ID INTEGER PRIMARY KEY, BOOK_ID INTEGER REFERENCES Book(BOOK_ID),
    FROM_BRANCH_ID INTEGER REFERENCES Branch(BRANCH_ID), TO_BRANCH_ID INTEGER REFERENCES Branch(BRANCH_ID));
  CREATE TABLE Reservation (RES_ID INTEGER PRIMARY KEY, MEMBER_ID INTEGER REFERENCES Member(MEMBER_ID), BOOK_ID INTEGER REFERENCES Book(BOOK_ID));
  INSERT INTO Branch VALUES (1, 'Central', 'Ghent'), (2, 'Riverside', 'Ghent'), (3, 'Hilltop', 'Aalst');
  INSERT INTO Member VALUES (1, 'Ana Peeters', 0), (2, 'Bo Claes', 1), (3, 'Cas Janssens', 0);
  INSERT INTO Book VALUES (1, 'Dune', 1), (2, 'Emma', 0), (3, 'Ulysses', 1);
  INSERT INTO Loan VALUES (1, 1, 1), (2, 2, 1), (3, 3, 2), (4, 1, 3), (5, 2, 1);
  INSERT INTO Transfer VALUES (1, 1, 1, 2), (2, 2, 1, 3), (3, 3, 2, 1), (4, 1, 3, 2);
  INSERT INTO Reservation VALUES (1, 1, 3), (2, 1, 2), (3, 3, 1);
`;
const run = (text: string, equalities: Equality[] = []) => runRequest(DDL, text, equalities);

describe('yes/no columns as adjectives', () => {
  test('"suspended members" is IS_SUSPENDED = 1, not the column', () => {
    const { rows, sql } = run('suspended members');
    assert.match(sql, /IS_SUSPENDED = 1/);
    assert.deepEqual(sortedRows(rows), sortedRows([[2, 'Bo Claes', 1]]));
  });

  test('"members that are not suspended" and a BOOLEAN "ebook" read as conditions too', () => {
    assert.deepEqual(sortedRows(run('names of members that are not suspended').rows), sortedRows([['Ana Peeters'], ['Cas Janssens']]));
    const { sql, rows } = run('titles of ebook books');
    assert.match(sql, /ebook = TRUE/);
    assert.deepEqual(sortedRows(rows), sortedRows([['Dune'], ['Ulysses']]));
  });

  test('"the suspended flag" still names the column', () => {
    assert.deepEqual(sortedRows(run('names and suspended flag of members').rows), sortedRows([['Ana Peeters', 0], ['Bo Claes', 1], ['Cas Janssens', 0]]));
  });
});

describe('two keys to one table', () => {
  const central: Equality[] = [{ column: { table: 'Branch', column: 'BRANCH_NAME' }, value: 'Central' }];

  test('"leaving" picks FROM_BRANCH_ID, "arriving" TO_BRANCH_ID', () => {
    assert.deepEqual(sortedRows(run('transfers leaving Central', central).rows.map((r) => [r[0]])), sortedRows([[1], [2]]));
    assert.deepEqual(sortedRows(run('transfers arriving at Central', central).rows.map((r) => [r[0]])), sortedRows([[3]]));
  });

  test('a request that says neither is refused with both keys named, not answered with one of them', () => {
    assert.throws(() => run('transfers of Central', central), /Transfer refers to Branch in 2 ways \(FROM_BRANCH_ID, TO_BRANCH_ID\)/);
  });
});

test('two counts over different related tables are each counted per row, not multiplied by each other', () => {
  const { rows } = run('every member with their number of loans and their number of reservations');
  assert.deepEqual(sortedRows(rows), sortedRows([['Ana Peeters', 3, 2], ['Bo Claes', 1, 0], ['Cas Janssens', 1, 1]]));
});
