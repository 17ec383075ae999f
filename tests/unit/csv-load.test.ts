import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import type pg from 'pg';
import { loadCsv, type CsvPart } from '../../src/dataplane/csv-load.js';
import { copyCsvParts } from '../../src/connectors/postgres/copy-csv.js';
import { CsvPartQueue } from '../../src/dataplane/csv-part-queue.js';
import { RowCsvEncoder, type FieldEncoding } from '../../src/connectors/mysql/row-csv.js';

/** A backend message: type byte, int32 length (counting itself), body. */
function message(type: string, body: string | Buffer): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeUInt32BE(bytes.length + 4, 1);
  return Buffer.concat([header, bytes]);
}

/**
 * Runs copyCsvParts against a fake pg client whose socket delivers `wire` in chunks of `size` bytes;
 * what the reader hands back to pg's own parser is recorded, and pg's end of the command is played
 * (`failWith`: pg reports an error instead).
 */
async function copyOver(wire: Buffer, size: number, maxRows: number, failWith?: Error): Promise<{ parts: { text: string; rows: number; longestRow: number }[]; handedBack: Buffer; error?: unknown }> {
  const stream = new PassThrough();
  let handedBack = Buffer.alloc(0);
  let query: { handleError(err: unknown): void; handleReadyForQuery(): void } | undefined;
  stream.on('data', (chunk: Buffer) => {
    handedBack = Buffer.concat([handedBack, chunk]);
    if (failWith !== undefined) query!.handleError(failWith);
    else query!.handleReadyForQuery();
  });
  const client = {
    query(submittable: pg.Submittable & typeof query) {
      query = submittable;
      submittable.submit({ stream, query: () => setImmediate(() => {
        for (let i = 0; i < wire.length; i += size) stream.write(wire.subarray(i, i + size));
      }) } as unknown as pg.Connection);
    },
  } as unknown as pg.Client;
  const parts = [];
  try {
    for await (const part of copyCsvParts(client, 'COPY (SELECT 1) TO STDOUT (FORMAT csv)', maxRows)) {
      parts.push({ text: Buffer.from(part.bytes).toString(), rows: part.rows, longestRow: part.longestRow });
      part.release?.();
    }
  } catch (error) {
    return { parts, handedBack, error };
  }
  return { parts, handedBack };
}

describe('copyCsvParts', () => {
  // One CopyData message a row (quoted newlines and multi-byte text inside), with a notice and a parameter status in between.
  const rows = ['1,"a\nb",x\n', '2,"say ""hi""\n",\n', '3,"",é😀\n', '4,plain,"q""\n"\n'];
  const end = Buffer.concat([message('c', ''), message('C', 'COPY 4\0'), message('Z', 'I')]);
  const wire = Buffer.concat([message('H', Buffer.from([0, 0, 3, 0, 0, 0, 0, 0, 0])), message('d', rows[0]!), message('N', 'notice\0'), message('d', rows[1]!), message('S', 'a\0b\0'), message('d', rows[2]!), message('d', rows[3]!), end]);

  it('frames rows from the messages, however the chunks fall, and hands the end of the command back to pg', async () => {
    for (let size = 1; size <= wire.length + 1; size++) {
      const { parts, handedBack } = await copyOver(wire, size, 1_000);
      assert.equal(parts.map((p) => p.text).join(''), rows.join(''), `chunks of ${size}`);
      assert.equal(parts.reduce((n, p) => n + p.rows, 0), 4, `chunks of ${size}`);
      assert.deepEqual(handedBack, end, `chunks of ${size}`);
    }
  });

  it('holds at most maxRows rows a part and reports the longest row in bytes', async () => {
    const { parts } = await copyOver(wire, 7, 2);
    assert.deepEqual(parts.map((p) => p.text), [rows[0]! + rows[1]!, rows[2]! + rows[3]!]);
    assert.deepEqual(parts.map((p) => p.longestRow), [Buffer.byteLength(rows[1]!), Buffer.byteLength(rows[3]!)]);
  });

  it('hands an error message back to pg and fails with the error pg reports', async () => {
    const failing = Buffer.concat([message('H', Buffer.from([0, 0, 1, 0, 0])), message('d', '1\n'), message('E', 'SERROR\0'), message('Z', 'I')]);
    const failure = new Error('division by zero');
    for (const size of [1, 3, failing.length]) {
      const { handedBack, error } = await copyOver(failing, size, 1, failure);
      assert.equal(error, failure, `chunks of ${size}`);
      assert.equal(handedBack[0], 'E'.charCodeAt(0), `chunks of ${size}`);
    }
  });
});

describe('CsvPartQueue', () => {
  const part = (n: number) => ({ bytes: Buffer.from(`${n}\n`), rows: 1, longestRow: 2 });

  it('pauses the source while four parts wait and resumes it once the loader has taken all but one', async () => {
    const calls: string[] = [];
    const queue = new CsvPartQueue({ pause: () => calls.push('pause'), resume: () => calls.push('resume') });
    for (let n = 0; n < 5; n++) queue.push(part(n));
    assert.deepEqual(calls, ['pause']);
    const parts = queue.parts();
    const taken: string[] = [];
    for (let n = 0; n < 4; n++) taken.push(Buffer.from((await parts.next()).value!.bytes).toString());
    assert.deepEqual(calls, ['pause', 'resume']);
    queue.end();
    for await (const rest of parts) taken.push(Buffer.from(rest.bytes).toString());
    assert.deepEqual(taken, ['0\n', '1\n', '2\n', '3\n', '4\n']);
  });

  it('throws the source\'s error, and after a loader stops early drops what comes and resumes the source', async () => {
    const failing = new CsvPartQueue({ pause: () => undefined, resume: () => undefined });
    failing.push(part(1));
    failing.fail(new Error('lost connection'));
    await assert.rejects(failing.parts().next(), /lost connection/);

    const calls: string[] = [];
    const queue = new CsvPartQueue({ pause: () => calls.push('pause'), resume: () => calls.push('resume') });
    for (let n = 0; n < 4; n++) queue.push(part(n));
    for await (const first of queue.parts()) {
      assert.equal(Buffer.from(first.bytes).toString(), '0\n');
      break;
    }
    let released = false;
    queue.push({ ...part(9), release: () => (released = true) });
    assert.deepEqual(calls, ['pause', 'resume']);
    assert.equal(released, true);
  });
});

/** A text-protocol row packet: each field length-encoded, NULL as 0xfb. */
function rowPacket(fields: (string | Buffer | null)[]): Buffer {
  return Buffer.concat(fields.map((field) => {
    if (field === null) return Buffer.from([0xfb]);
    const bytes = typeof field === 'string' ? Buffer.from(field) : field;
    const length = bytes.length < 0xfb ? [bytes.length] : [0xfc, bytes.length & 0xff, bytes.length >> 8];
    return Buffer.concat([Buffer.from(length), bytes]);
  }));
}

describe('RowCsvEncoder', () => {
  const encodings: FieldEncoding[] = ['plain', 'text', 'text', 'date', 'date', 'hex', 'hex', 'bits', 'plain'];

  it('writes each field as the CSV the loader reads: NULL empty, text quoted, zero dates NULL, binary as hex, BIT as a number', () => {
    const encoder = new RowCsvEncoder(encodings, 10);
    const long = 'x'.repeat(300) + '"';
    const rows = [
      ['-12.50', 'say "hi", then\nleave', '', '2024-02-29 23:59:59.123456', '0000-00-00 00:00:00', Buffer.from([0, 0xff, 0x10]), Buffer.alloc(0), Buffer.from([0x0a, 0xaa]), '-838:59:59'],
      [null, null, long, null, '0000-00-00', null, null, null, null],
    ] as const;
    for (const row of rows) {
      const packet = Buffer.concat([Buffer.from('head'), rowPacket([...row])]);
      encoder.add(packet, 4, packet.length);
    }
    assert.equal(encoder.full, false);
    const part = encoder.take()!;
    assert.equal(part.rows, 2);
    const lines = ['-12.50,"say ""hi"", then\nleave","",2024-02-29 23:59:59.123456,,"00ff10","",2730,-838:59:59\n', `,,"${long.replace('"', '""')}",,,,,,\n`];
    assert.equal(Buffer.from(part.bytes).toString(), lines.join(''));
    assert.equal(part.longestRow, lines[1]!.length);
    assert.equal(encoder.take(), undefined, 'nothing left');
  });

  it('is full after maxRows rows', () => {
    const encoder = new RowCsvEncoder(['plain'], 2);
    const packet = rowPacket(['1']);
    encoder.add(packet, 0, packet.length);
    assert.equal(encoder.full, false);
    encoder.add(packet, 0, packet.length);
    assert.equal(encoder.full, true);
    assert.equal(Buffer.from(encoder.take()!.bytes).toString(), '1\n1\n');
  });
});

describe('loadCsv', () => {
  it('loads typed columns exactly (NULL vs empty, a leading byte-order mark, hex to BLOB), reports progress per part, and leaves no file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'osiris-csv-load-'));
    const instance = await DuckDBInstance.create(':memory:');
    try {
      const conn = await instance.connect();
      const text = (s: string): CsvPart => ({ bytes: Buffer.from(s), rows: s.split('\n').length - 1, longestRow: 100 });
      const progress: number[] = [];
      const rows = await loadCsv(conn, 'df_t', [
        { name: 'label', type: 'VARCHAR' },
        { name: 'ratio', type: 'DOUBLE' },
        { name: 'amount', type: 'DECIMAL(30,10)' },
        { name: 'raw', type: 'BLOB', via: { type: 'VARCHAR', sql: (field) => `unhex(${field})` } },
      ], (async function* () {
        yield text('\ufeffbom,90.28580457071429,12345678901234567890.0123456789,"00ff"\n');
        yield text(',,,\n"",-0,-0.0000000001,""\n');
      })(), dir, { stepId: 't', onProgress: (p) => void progress.push(p.rows) });
      assert.equal(rows, 3);
      assert.deepEqual(progress, [1, 3]);
      // The label as hex: JavaScript's TextDecoder would drop the byte-order mark on the way out.
      const result = await conn.runAndReadAll('SELECT hex(encode(label)) AS label, ratio, amount::VARCHAR AS amount, hex(raw) AS raw FROM df_t');
      assert.deepEqual(result.getRowObjectsJS(), [
        { label: 'EFBBBF626F6D', ratio: 90.28580457071429, amount: '12345678901234567890.0123456789', raw: '00FF' },
        { label: null, ratio: null, amount: null, raw: null },
        { label: '', ratio: -0, amount: '-0.0000000001', raw: '' },
      ]);
      assert.deepEqual(await readdir(dir), []);

      // A value DuckDB cannot read fails the load; the error quotes only the start of its (long) row.
      const bad = loadCsv(conn, 'df_bad', [{ name: 'n', type: 'BIGINT' }, { name: 'text', type: 'VARCHAR' }], (async function* () {
        yield text(`1,"ok"\nnot a number,"${'x'.repeat(5000)}"\n`);
      })(), dir, { stepId: 't' });
      await assert.rejects(bad, (err: Error) => /Original Line: not a number,"x{180,}\.\.\. \(5015 characters\)/.test(err.message) && err.message.length < 3000);
      conn.closeSync();
    } finally {
      instance.closeSync();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
