import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../src/client/dev-server.js';
import { ensureTemporalCli } from '../../src/client/temporal-cli.js';
import { AesGcmCodec, loadCodecKeys } from '../../src/temporal/codec.js';
import { launchBrowser, newCheckedPage, saveScreenshot } from '../support/browser.js';
import { osiris, repoRoot } from '../support/cli.js';
import { copyExample, makeProject } from '../support/project.js';
import { startTestTemporal, type TestTemporal } from '../support/temporal.js';
import { waitForOsirisWorkers, withWorkerProcess } from '../support/worker-process.js';

/**
 * With codec keys set, what Temporal stores is ciphertext: the plain `temporal` CLI shows no OML,
 * no sample row, no column value; Osiris (and the Web UI through `osiris codec-server`) show clear
 * payloads; after adding a key, older runs stay readable.
 */
const K1 = `k1=${randomBytes(32).toString('base64')}`;
const K2 = `k2=${randomBytes(32).toString('base64')}`;
// A value only the database produces (not in the message): it can reach the history only as a tool result.
const CHAT = "SQL: SELECT 'osiris' || 'marker' || movie_id AS m, title FROM movies WHERE movie_id = 1";
const MARKERS = ['osirismarker1', 'FROM movies', 'release_year'];

let temporal: TestTemporal;
let codecPort: number;
let codecServer: ChildProcess;
let projectDir: string;
const runs: Record<string, string> = {};

before(async () => {
  codecPort = await freePort();
  temporal = await startTestTemporal({ uiCodecEndpoint: `http://127.0.0.1:${codecPort}` });
  projectDir = makeProject();
  copyExample(projectDir);
  codecServer = spawn(process.execPath, [path.join(repoRoot, 'bin', 'osiris.js'), 'codec-server', '--port', String(codecPort), '--origin', `http://127.0.0.1:${temporal.uiPort}`], {
    cwd: projectDir,
    env: { ...process.env, OSIRIS_CODEC_KEYS: `${K1},${K2}` },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => codecServer.stdout!.once('data', () => resolve()));
});

after(async () => {
  codecServer?.kill('SIGTERM');
  await temporal?.stop();
});

interface RawPayload {
  encoding: string;
  keyId?: string;
}

/**
 * `temporal workflow show --output json`: every string (base64 ones, payload bytes, also decoded) and
 * the encoding and key id of every payload outside search attributes (which Temporal must index in clear)
 * and patch markers (the SDK writes their patch id in clear).
 */
function rawHistory(workflowId: string): { text: string; payloads: RawPayload[] } {
  const json = execFileSync(ensureTemporalCli({ install: false }), ['workflow', 'show', '--address', temporal.address, '--workflow-id', workflowId, '--output', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const parts: string[] = [];
  const payloads: RawPayload[] = [];
  const b64 = (v: unknown) => (typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : undefined);
  const walk = (v: unknown, inSearchAttributes: boolean): void => {
    if (typeof v === 'string') {
      parts.push(v);
      if (/^[A-Za-z0-9+/]+={0,2}$/.test(v) && v.length % 4 === 0) parts.push(Buffer.from(v, 'base64').toString('utf8'));
    } else if (v && typeof v === 'object') {
      const metadata = (v as { metadata?: Record<string, string> }).metadata;
      if (!inSearchAttributes && metadata?.encoding) payloads.push({ encoding: b64(metadata.encoding)!, keyId: b64(metadata['encryption-key-id']) });
      for (const [k, c] of Object.entries(v)) {
        // A patch marker's details are written by the SDK's core, never through the data converter:
        // they must hold nothing but the patch id.
        if (k === 'patch-data') {
          for (const p of (c as { payloads?: { data?: string }[] }).payloads ?? []) assert.match(b64(p.data) ?? '', /^\{"id":"osiris-[a-z-]+","deprecated":(true|false)\}$/);
          continue;
        }
        walk(c, inSearchAttributes || k === 'searchAttributes');
      }
    }
  };
  walk(JSON.parse(json), false);
  return { text: parts.join('\n'), payloads };
}

/** One run and one chat message through a real `osiris worker` with the given keys. */
async function runAndChat(label: string, keys: string | undefined): Promise<{ run: string; session: string }> {
  const env: NodeJS.ProcessEnv = { TEMPORAL_ADDRESS: temporal.address, OSIRIS_CODEC_KEYS: keys ?? '' };
  // The worker's exit code is not what this test is about (the SIGTERM test in host-failover checks it).
  return withWorkerProcess({ cwd: projectDir, env, exitCodes: [0, null] }, async () => {
    await waitForOsirisWorkers(temporal.address);
    const run = await osiris(['run', 'examples/top-rated-movies.yaml'], { cwd: projectDir, env });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /✓ save-parquet/, 'the CLI shows the run in clear');
    const chat = await osiris(['chat', CHAT], { cwd: projectDir, env });
    assert.equal(chat.code, 0, chat.stdout + chat.stderr);
    assert.match(chat.stdout, /osirismarker1/, 'the CLI shows the reply in clear');
    runs[label] = /workflow (osiris-run-\S+)/.exec(run.stdout)![1]!;
    return { run: runs[label], session: `osiris-session-${/session (\S+)/.exec(chat.stderr)![1]}` };
  });
}

test('without keys the history holds the OML and the rows (the check can fail); with keys, only ciphertext', async () => {
  const clear = await runAndChat('clear', undefined);
  const clearText = rawHistory(clear.run).text + rawHistory(clear.session).text;
  for (const marker of MARKERS) assert.ok(clearText.includes(marker), `control: ${marker} is in the unencrypted history`);

  const encrypted = await runAndChat('k1', K1);
  for (const id of [encrypted.run, encrypted.session]) {
    const { text, payloads } = rawHistory(id);
    for (const marker of MARKERS) assert.ok(!text.includes(marker), `${marker} found in the history of ${id}`);
    assert.ok(payloads.length > 10, `${payloads.length} payloads in ${id}`);
    const clearOnes = payloads.filter((p) => p.encoding !== 'binary/encrypted' || p.keyId !== 'k1');
    assert.deepEqual(clearOnes, [], `payloads not encrypted with k1 in ${id}`);
  }
});

test('key rotation: after adding k2, new runs use k2 and runs encrypted with k1 stay readable', async () => {
  const rotated = await runAndChat('k2', `${K1},${K2}`);
  assert.deepEqual(new Set(rawHistory(rotated.run).payloads.map((p) => p.keyId)), new Set(['k2']), 'new runs are encrypted with the newest key');
  const connection = await Connection.connect({ address: temporal.address });
  try {
    const both = new Client({ connection, dataConverter: { payloadCodecs: [new AesGcmCodec(loadCodecKeys({ OSIRIS_CODEC_KEYS: `${K1},${K2}` }))] } });
    for (const id of [runs.k1!, runs.k2!]) {
      const result = (await both.workflow.getHandle(id).result()) as { pipeline: string; steps: unknown[] };
      assert.equal(result.pipeline, 'top-rated-movies');
      assert.equal(result.steps.length, 5);
    }
    const onlyK2 = new Client({ connection, dataConverter: { payloadCodecs: [new AesGcmCodec(loadCodecKeys({ OSIRIS_CODEC_KEYS: K2 }))] } });
    await assert.rejects(onlyK2.workflow.getHandle(runs.k1!).result(), /encrypted with key "k1", which is not among the configured codec keys \(k2\)/);
  } finally {
    await connection.close();
  }
});

test('the Web UI, given the codec endpoint, shows the decoded input of an encrypted run', async () => {
  const browser = await launchBrowser();
  try {
    const { page } = await newCheckedPage(browser);
    const url = `http://127.0.0.1:${temporal.uiPort}/namespaces/default/workflows/${runs.k1}`;
    // The UI is a large single-page app: on a loaded 2-core machine its first render plus the
    // workflow fetch and the codec round trip can take tens of seconds, so each attempt waits long
    // (a reload only helps if the run's history was not yet visible to the UI).
    const deadline = Date.now() + 120_000;
    for (;;) {
      await page.goto(url);
      try {
        await page.getByText('FROM movies').first().waitFor({ timeout: 40_000 });
        break;
      } catch (err) {
        if (Date.now() > deadline) {
          await saveScreenshot(page, 'webui-codec-failed');
          const shown = (await page.locator('body').innerText()).slice(0, 2_000);
          throw new Error(`the decoded input never appeared; the page showed:\n${shown}`, { cause: err });
        }
      }
    }
    await saveScreenshot(page, 'webui-codec');
    await page.close();
  } finally {
    await browser.close();
  }
});
