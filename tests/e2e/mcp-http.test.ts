import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import os from 'node:os';
import { after, before, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { freePort } from '../../src/client/dev-server.js';
import { bareEnv, osirisBin, session, startWorkerProcess, waitForPollers } from '../support/mcp.js';
import { makeProject } from '../support/project.js';
import { startTestTemporal, type TestTemporal } from '../support/temporal.js';

/** `osiris mcp --http`: Streamable HTTP on loopback, the same tools as over stdio. */
let temporal: TestTemporal;
let worker: ReturnType<typeof startWorkerProcess>;
let server: ChildProcess;
let port: number;
let serverLog = '';

before(async () => {
  temporal = await startTestTemporal();
  const projectDir = makeProject();
  const env = bareEnv({ TEMPORAL_ADDRESS: temporal.address });
  worker = startWorkerProcess(projectDir, env);
  await waitForPollers(temporal.address, ['osiris-control', 'osiris-exec-local']);
  port = await freePort();
  // Started elsewhere, as desktop clients do: --project names the project.
  server = spawn(process.execPath, [osirisBin, 'mcp', '--http', '--port', String(port), '--project', projectDir], { cwd: os.tmpdir(), env, stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    server.stderr!.on('data', (d: Buffer) => {
      serverLog += d.toString();
      if (serverLog.includes('listening on')) resolve();
    });
    server.once('exit', (code) => reject(new Error(`osiris mcp --http exited with ${code}: ${serverLog}`)));
  });
});

after(async () => {
  for (const child of [server, worker?.child]) {
    if (!child || child.exitCode !== null) continue;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  await temporal?.stop();
});

/** A raw request with a chosen Host header (fetch does not let a caller set one). */
function post(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } });
    const req = request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers: { host, 'content-type': 'application/json', accept: 'application/json, text/event-stream' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', reject);
    req.end(body);
  });
}

it('serves the tools over Streamable HTTP on 127.0.0.1 and refuses foreign Host headers', async () => {
  assert.match(serverLog, new RegExp(`listening on http://127\\.0\\.0\\.1:${port}/mcp`));
  const client = new Client({ name: 'osiris-http-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
  const mcp = session(client, () => serverLog);
  try {
    const { tools } = await client.listTools();
    assert.equal(tools.length, 16);
    const tables = await mcp.call('discover', {});
    assert.equal(tables.structuredContent!.connection, '@sqlite.demo');
    assert.ok((tables.structuredContent!.tables as { name: string }[]).some((t) => t.name === 'movies'));
    const unknown = await mcp.call('nope');
    assert.equal(unknown.isError, true);
  } finally {
    await client.close();
  }
  assert.equal(await post('evil.example:80'), 403);
  assert.equal(await post(`localhost:${port}`), 200);
});
