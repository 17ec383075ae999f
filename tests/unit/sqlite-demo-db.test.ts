import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { ensureDemoDatabase } from '../../src/connectors/sqlite/demo-db.js';

const TABLES = ['directors', 'movies', 'actors', 'movie_actors', 'reviews'];

function dump(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(TABLES.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()]));
  } finally {
    db.close();
  }
}

describe('ensureDemoDatabase', async () => {
  const dirs = await Promise.all([mkdtemp(path.join(tmpdir(), 'osiris-demo-')), mkdtemp(path.join(tmpdir(), 'osiris-demo-'))]);
  after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('builds identical contents every time', async () => {
    const [a, b] = await Promise.all(dirs.map((dir) => ensureDemoDatabase(dir)));
    assert.deepEqual(dump(a!), dump(b!));
  });

  it('is safe to call concurrently and reuses an existing file', async () => {
    const files = await Promise.all([1, 2, 3].map(() => ensureDemoDatabase(dirs[0]!)));
    assert.equal(new Set(files).size, 1);
    assert.equal(dump(files[0]!).movies!.length, dump(await ensureDemoDatabase(dirs[1]!)).movies!.length);
  });

  it('holds real-looking data: Ava DuVernay and Selma (2014), movies rated above 8', async () => {
    const db = new Database(await ensureDemoDatabase(dirs[0]!), { readonly: true });
    try {
      const ava = db.prepare("SELECT * FROM directors WHERE name = 'Ava DuVernay'").get() as Record<string, unknown>;
      assert.deepEqual({ ...ava, director_id: undefined }, { director_id: undefined, name: 'Ava DuVernay', birth_year: 1972, nationality: 'American', awards: 8 });
      const selma = db.prepare("SELECT release_year, director_id FROM movies WHERE title = 'Selma'").get() as Record<string, unknown>;
      assert.deepEqual(selma, { release_year: 2014, director_id: ava.director_id });
      const counts = Object.fromEntries(TABLES.map((table) => [table, (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n]));
      assert.ok(counts.directors! >= 20 && counts.movies! >= 60 && counts.actors! >= 80, JSON.stringify(counts));
      const top = db.prepare('SELECT movie_id FROM reviews GROUP BY movie_id HAVING AVG(rating) > 8').all();
      assert.ok(top.length >= 5, `movies averaging above 8: ${top.length}`);
      const bad = db.prepare('SELECT count(*) AS n FROM reviews WHERE rating < 1 OR rating > 10 OR rating * 10 != round(rating * 10)').get() as { n: number };
      assert.equal(bad.n, 0);
    } finally {
      db.close();
    }
  });
});
