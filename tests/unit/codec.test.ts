import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { startCodecServer } from '../../src/client/commands/codec-server.js';
import { AesGcmCodec, loadCodecKeys } from '../../src/temporal/codec.js';

const key = () => randomBytes(32).toString('base64');

test('AES-256-GCM: round trip, fresh IV per payload, tampering and unknown keys refused', async () => {
  const codec = new AesGcmCodec(loadCodecKeys({ OSIRIS_CODEC_KEYS: `old=${key()},new=${key()}` }));
  const plain = defaultPayloadConverter.toPayload({ title: 'Selma', rows: [1, 2] });
  const [a] = await codec.encode([plain]);
  const [b] = await codec.encode([plain]);
  assert.notDeepEqual(a!.data, b!.data, 'a fresh IV each time');
  assert.equal(Buffer.from(a!.metadata!['encryption-key-id']!).toString(), 'new');
  assert.ok(!Buffer.from(a!.data!).toString('latin1').includes('Selma'));
  assert.deepEqual(defaultPayloadConverter.fromPayload((await codec.decode([a!]))[0]!), { title: 'Selma', rows: [1, 2] });
  const tampered = { ...a!, data: Buffer.from(a!.data!).fill(0, 20, 21) };
  await assert.rejects(codec.decode([tampered]), /unable to authenticate|Unsupported state/);
  const other = new AesGcmCodec(loadCodecKeys({ OSIRIS_CODEC_KEYS: `x=${key()}` }));
  await assert.rejects(other.decode([a!]), /encrypted with key "new", which is not among the configured codec keys \(x\)/);
  assert.deepEqual(await other.decode([plain]), [plain], 'clear payloads (older runs) pass through');
});

test('bad key settings are refused naming the entry, never quoting the key', () => {
  const short = Buffer.from('short-key').toString('base64');
  assert.throws(() => loadCodecKeys({ OSIRIS_CODEC_KEYS: `k1=${short}` }), (err: Error) => /OSIRIS_CODEC_KEYS entry 1 \("k1"\): the key is 9 bytes/.test(err.message) && !err.message.includes(short));
  const bare = key();
  assert.throws(() => loadCodecKeys({ OSIRIS_CODEC_KEYS: bare }), (err: Error) => /OSIRIS_CODEC_KEYS entry 1: expected `id=base64key`/.test(err.message) && !err.message.includes(bare.slice(0, 20)));
  assert.throws(() => loadCodecKeys({ OSIRIS_CODEC_KEYS: `a=${key()},a=${key()}` }), /key id "a" appears twice/);
  assert.throws(() => loadCodecKeys({ OSIRIS_CODEC_KEY_FILE: '/nonexistent/keys' }), /OSIRIS_CODEC_KEY_FILE: cannot read \/nonexistent\/keys: ENOENT/);
  assert.deepEqual(loadCodecKeys({}), []);
});

test('codec server: /encode and /decode round trip, CORS for the UI origin only, bearer token enforced', async () => {
  const env = { OSIRIS_CODEC_KEYS: `k1=${key()}`, OSIRIS_CODEC_SERVER_TOKEN: 'tok-123' };
  const server = await startCodecServer({ port: 0, host: '127.0.0.1', origin: ['http://ui.example'] }, env);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const payload = defaultPayloadConverter.toPayload('hello');
    const body = JSON.stringify({ payloads: [{ metadata: { encoding: Buffer.from(payload.metadata!.encoding!).toString('base64') }, data: Buffer.from(payload.data!).toString('base64') }] });
    const headers = { 'content-type': 'application/json', origin: 'http://ui.example', authorization: 'Bearer tok-123' };
    assert.equal((await fetch(`${base}/encode`, { method: 'POST', body, headers: { ...headers, authorization: 'Bearer nope' } })).status, 401);
    const encoded = await fetch(`${base}/encode`, { method: 'POST', body, headers });
    assert.equal(encoded.headers.get('access-control-allow-origin'), 'http://ui.example');
    const encodedBody = await encoded.text();
    assert.ok(!encodedBody.includes(Buffer.from(payload.data!).toString('base64')));
    const decoded = (await (await fetch(`${base}/decode`, { method: 'POST', body: encodedBody, headers })).json()) as { payloads: { data: string }[] };
    assert.equal(Buffer.from(decoded.payloads[0]!.data, 'base64').toString(), '"hello"');
    const preflight = await fetch(`${base}/decode`, { method: 'OPTIONS', headers: { origin: 'http://evil.example' } });
    assert.equal(preflight.status, 403);
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    assert.equal((await fetch(`${base}/decode`, { method: 'POST', body: '{"nope":1}', headers })).status, 400);
  } finally {
    server.close();
  }
});
