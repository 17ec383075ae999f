/**
 * The offline planner on a made-up lending library with habits no shipped suite has: UPPER_CASE and
 * PascalCase names, 0/1 and BOOLEAN yes/no columns, a table with two keys to one table (the branch a book
 * is sent from and the one it goes to), a subject with two kinds of related rows, a measure in grams, tables
 * named by no "name" column (a supplier's COMPANY, a fine's REF) and an optional key (a book's supplier). Each
 * request is parsed, built and run on an in-memory SQLite copy; the rows are checked.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Equality } from '../../src/agent/providers/offline/sql-builder.js';
import { runRequest, sortedRows } from '../support/offline-schema.js';

const DDL = `
  CREATE TABLE Branch (BRANCH_ID INTEGER PRIMARY KEY, BRANCH_NAME TEXT NOT NULL, TOWN TEXT);
  CREATE TABLE Member (MEMBER_ID INTEGER PRIMARY KEY, FULL_NAME TEXT NOT NULL, IS_SUSPENDED INTEGER NOT NULL, SPONSOR_ID INTEGER REFERENCES Member(MEMBER_ID));
  CREATE TABLE Submission (SUB_ID INTEGER PRIMARY KEY, MEMBER_ID INTEGER REFERENCES Member(MEMBER_ID), TOPIC TEXT);
  CREATE TABLE Supplier (SUPPLIER_ID INTEGER PRIMARY KEY, EMAIL TEXT NOT NULL, COMPANY TEXT NOT NULL);
  CREATE TABLE Book (BOOK_ID INTEGER PRIMARY KEY, TITLE TEXT NOT NULL, ebook BOOLEAN, WEIGHT_G INTEGER, SUPPLIER_ID INTEGER REFERENCES Supplier(SUPPLIER_ID));
  CREATE TABLE Fine (FINE_ID INTEGER PRIMARY KEY, REF TEXT NOT NULL, MEMBER_ID INTEGER REFERENCES Member(MEMBER_ID), AMOUNT REAL);
  CREATE TABLE Loan (LOAN_ID INTEGER PRIMARY KEY, BOOK_ID INTEGER REFERENCES Book(BOOK_ID), MEMBER_ID INTEGER REFERENCES Member(MEMBER_ID), LOANED_ON DATE, RETURNED_ON DATE);
  CREATE TABLE Transfer (TRANSFER_ID INTEGER PRIMARY KEY, BOOK_ID INTEGER REFERENCES Book(BOOK_ID),
    FROM_BRANCH_ID INTEGER REFERENCES Branch(BRANCH_ID), TO_BRANCH_ID INTEGER REFERENCES Branch(BRANCH_ID));
  CREATE TABLE Reservation (RES_ID INTEGER PRIMARY KEY, MEMBER_ID INTEGER REFERENCES Member(MEMBER_ID), BOOK_ID INTEGER REFERENCES Book(BOOK_ID));
  INSERT INTO Branch VALUES (1, 'Central', 'Ghent'), (2, 'Riverside', 'Ghent'), (3, 'Hilltop', 'Aalst');
  INSERT INTO Member VALUES (1, 'Ana Peeters', 0, NULL), (2, 'Bo Claes', 1, 1), (3, 'Cas Janssens', 0, 1);
  INSERT INTO Submission VALUES (1, 2, 'poetry');
  INSERT INTO Supplier VALUES (1, 'sales@paperhouse.be', 'Paperhouse'), (2, 'info@inkwell.nl', 'Inkwell');
  INSERT INTO Book VALUES (1, 'Dune', 1, 400, 1), (2, 'Emma', 0, 300, 1), (3, 'Ulysses', 1, 700, NULL);
  INSERT INTO Fine VALUES (1, 'F-001', 1, 1.5), (2, 'F-002', 2, 4), (3, 'F-003', 2, 2.5);
  INSERT INTO Loan VALUES (1, 1, 1, '2024-01-05', '2024-01-19'), (2, 2, 1, '2024-03-01', '2024-04-20'), (3, 3, 2, '2024-02-11', NULL), (4, 1, 3, '2023-12-24', '2024-01-02'), (5, 2, 1, '2024-03-01', '2024-03-10');
  INSERT INTO Transfer VALUES (1, 1, 1, 2), (2, 2, 1, 3), (3, 3, 2, 1), (4, 1, 3, 2);
  INSERT INTO Reservation VALUES (1, 1, 3), (2, 1, 2), (3, 3, 1);
`;
const run = (text: string, equalities: Equality[] = []) => runRequest(DDL, text, equalities);

describe('yes/no columns as adjectives', () => {
  test('"suspended members" is IS_SUSPENDED = 1, not the column', () => {
    const { rows, sql } = run('suspended members');
    assert.match(sql, /IS_SUSPENDED = 1/);
    assert.deepEqual(sortedRows(rows), sortedRows([[2, 'Bo Claes', 1, 1]]));
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

describe('measures, units and totals', () => {
  test('"heavier than 500 g" compares WEIGHT_G and shows every column (the unit is no output); "the 2 heaviest" orders by it', () => {
    const { rows, sql } = run('books heavier than 500 g');
    assert.match(sql, /SELECT t0\.\*[\s\S]*WEIGHT_G > 500/);
    assert.deepEqual(rows.map((r) => r[1]), ['Ulysses']);
    assert.deepEqual(run('titles of the 2 heaviest books').rows, [['Ulysses'], ['Dune']]);
    assert.deepEqual(sortedRows(run('titles of books lighter than 350').rows), sortedRows([['Emma']]));
  });

  test('"weigh more than 900 in total" sums the related rows; without "in total" it is their average', () => {
    assert.deepEqual(sortedRows(run('names of members whose books weigh more than 900 in total').rows), sortedRows([['Ana Peeters']]));
    assert.deepEqual(sortedRows(run('names of members whose books weigh more than 500').rows), sortedRows([['Bo Claes']]));
  });

  test('"the total weight of their books": the books are where the weight is, not a level above the member', () => {
    assert.deepEqual(sortedRows(run("each member's name and the total weight of their books").rows), sortedRows([['Ana Peeters', 1000], ['Bo Claes', 700], ['Cas Janssens', 400]]));
  });
});

describe('tables named by no "name" column', () => {
  test('a supplier is named by its COMPANY (the first text every row has, not its email)', () => {
    assert.deepEqual(sortedRows(run('number of books per supplier').rows), sortedRows([['Paperhouse', 2], ['Inkwell', 0]]));
  });

  test('"references" names REF, a name cut short', () => {
    assert.deepEqual(sortedRows(run('references of fines with an amount over 2').rows), sortedRows([['F-002'], ['F-003']]));
  });

  test('a column shown through an optional key keeps the rows that have none (LEFT JOIN)', () => {
    assert.deepEqual(sortedRows(run('titles of books with their supplier company').rows), sortedRows([['Dune', 'Paperhouse'], ['Emma', 'Paperhouse'], ['Ulysses', null]]));
  });
});

test('"members with more than 1 loan" are whole member rows (as "members" alone), the count only filters', () => {
  const { rows, sql } = run('members with more than 1 loan');
  assert.match(sql, /^SELECT t0\.\*/);
  assert.deepEqual(rows, [[1, 'Ana Peeters', 0, null]]);
});

test('"the date of their most recent loan" shows the date that decides it, one line per member even when two loans tie', () => {
  assert.deepEqual(sortedRows(run("each member's name with the date of their most recent loan").rows), sortedRows([['Ana Peeters', '2024-03-01'], ['Bo Claes', '2024-02-11'], ['Cas Janssens', '2023-12-24']]));
});

test('arithmetic with a number: "its weight in kilos (the weight in grams divided by 1000)" is one computed column named by its words', () => {
  const { rows, sql } = run("each book's title and its weight in kilos (the weight in grams divided by 1000)");
  assert.match(sql, /1\.0 \* t0\.WEIGHT_G \/ 1000 AS weight_in_kilos/);
  assert.deepEqual(sortedRows(rows), sortedRows([['Dune', 0.4], ['Emma', 0.3], ['Ulysses', 0.7]]));
  assert.deepEqual(sortedRows(run('titles and weight times 2 of books').rows), sortedRows([['Dune', 800], ['Emma', 600], ['Ulysses', 1400]]));
});

describe('a table with a key to itself', () => {
  const ana: Equality[] = [{ column: { table: 'Member', column: 'FULL_NAME' }, value: 'Ana Peeters' }];

  test('"members sponsored by Ana Peeters": the name found in Member is the sponsor\'s, through SPONSOR_ID', () => {
    assert.deepEqual(sortedRows(run('names of members sponsored by Ana Peeters', ana).rows), sortedRows([['Bo Claes'], ['Cas Janssens']]));
    // Without a word for the key, the name is the member's own.
    assert.deepEqual(run('names of members called Ana Peeters', ana).rows, [['Ana Peeters']]);
    // A noun points the other way ("Bo's sponsor" is not the members Bo sponsors): the row named is Bo's own.
    const bo: Equality[] = [{ column: { table: 'Member', column: 'FULL_NAME' }, value: 'Bo Claes' }];
    assert.deepEqual(run('the sponsor of the member called Bo Claes', bo).rows, [[1]]);
  });

  test('"number of members per sponsor": each group is the sponsor\'s row, shown by its name', () => {
    assert.deepEqual(run('number of members per sponsor').rows, [['Ana Peeters', 2]]);
  });
});

test('"members who never submitted": -mit verbs name -mission tables', () => {
  assert.deepEqual(sortedRows(run('names of members who never submitted').rows), sortedRows([['Ana Peeters'], ['Cas Janssens']]));
});

test('"lasted more than 10 days" / "2 weeks" is the span from the table\'s first date to its second, in days', () => {
  const { rows, sql, intent } = run('loans that lasted more than 10 days');
  assert.match(sql, /julianday\(t0\.RETURNED_ON\) - julianday\(t0\.LOANED_ON\)\) > 10/);
  assert.deepEqual(intent.values, [], 'the verb is read, not searched for');
  assert.deepEqual(sortedRows(rows.map((r) => [r[0]])), sortedRows([[1], [2]]));
  assert.deepEqual(run('loans that lasted more than 2 weeks').rows.map((r) => r[0]), [2]);
});
