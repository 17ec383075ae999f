import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

/**
 * A local stand-in for E2B on 127.0.0.1: the part of the REST API the `e2b` SDK calls to create,
 * find, inspect, connect to and kill sandboxes, and the part of envd (the daemon inside a sandbox)
 * it calls for files (HTTP) and commands (Connect-RPC, JSON, server streaming). Every sandbox's
 * filesystem is the host's, limited to `root`, and commands run on the host: it tests the SDK calls
 * and the wire protocol, not isolation.
 */
export interface FakeE2b {
  url: string;
  apiKey: string;
  /** `METHOD path` of every request, in order. */
  calls: string[];
  sandboxes: Map<string, FakeSandbox>;
  stop(): Promise<void>;
}

export interface FakeSandbox {
  id: string;
  template: string;
  metadata: Record<string, string>;
  /** Seconds, as the API received them at create and at each connect. */
  timeouts: number[];
  killed: boolean;
  running: Set<ChildProcess>;
  /** Environment of every command started in it. */
  commandEnvs: Record<string, string>[];
}

const ENVD_VERSION = '0.5.7';

export async function startFakeE2b(o: { root: string; cpuCount: number; memoryMB: number }): Promise<FakeE2b> {
  const apiKey = 'e2b_test_key';
  const accessToken = 'envd-token';
  const calls: string[] = [];
  const sandboxes = new Map<string, FakeSandbox>();
  let counter = 0;

  const info = (s: FakeSandbox) => ({
    sandboxID: s.id,
    templateID: s.template,
    clientID: 'local',
    metadata: s.metadata,
    startedAt: new Date().toISOString(),
    endAt: new Date(Date.now() + 3_600_000).toISOString(),
    state: 'running',
    cpuCount: o.cpuCount,
    memoryMB: o.memoryMB,
    diskSizeMB: 1024,
    envdVersion: ENVD_VERSION,
  });
  const connectInfo = (s: FakeSandbox) => ({ sandboxID: s.id, templateID: s.template, clientID: 'local', envdVersion: ENVD_VERSION, envdAccessToken: accessToken, domain: null });
  const live = (id: string | undefined) => {
    const s = id === undefined ? undefined : sandboxes.get(id);
    return s && !s.killed ? s : undefined;
  };
  const inside = (p: string | null) => p !== null && path.isAbsolute(p) && !path.relative(o.root, path.resolve(p)).startsWith('..');

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    calls.push(`${req.method} ${url.pathname}`);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const handle = async () => {
      const apiPath = url.pathname;
      if (apiPath.startsWith('/v2/sandboxes') || apiPath.startsWith('/sandboxes')) {
        if (req.headers['x-api-key'] !== apiKey) return json(401, { code: 401, message: 'Invalid API key' });
        const id = /^\/(?:v2\/)?sandboxes\/([^/]+)/.exec(apiPath)?.[1];
        if (req.method === 'POST' && apiPath === '/v2/sandboxes') {
          const body = JSON.parse(await readBody(req)) as { templateID: string; metadata?: Record<string, string>; timeout?: number };
          const s: FakeSandbox = { id: `sbx${++counter}`, template: body.templateID, metadata: body.metadata ?? {}, timeouts: [body.timeout ?? 0], killed: false, running: new Set(), commandEnvs: [] };
          sandboxes.set(s.id, s);
          return json(201, connectInfo(s));
        }
        if (req.method === 'GET' && apiPath === '/v2/sandboxes') {
          const wanted = Object.fromEntries(new URLSearchParams(url.searchParams.get('metadata') ?? ''));
          const found = [...sandboxes.values()].filter((s) => !s.killed && Object.entries(wanted).every(([k, v]) => s.metadata[decodeURIComponent(k)] === decodeURIComponent(v)));
          return json(200, found.map(info));
        }
        const s = live(id);
        if (!s) return json(404, { code: 404, message: `sandbox ${id} not found` });
        if (req.method === 'GET' && apiPath === `/sandboxes/${s.id}`) return json(200, info(s));
        if (req.method === 'POST' && apiPath === `/v2/sandboxes/${s.id}/connect`) {
          s.timeouts.push((JSON.parse(await readBody(req)) as { timeout?: number }).timeout ?? 0);
          return json(200, connectInfo(s));
        }
        if (req.method === 'DELETE' && apiPath === `/sandboxes/${s.id}`) {
          s.killed = true;
          for (const child of s.running) child.kill('SIGKILL');
          res.writeHead(204).end();
          return;
        }
        return json(404, { code: 404, message: `no route ${req.method} ${apiPath}` });
      }

      // envd: addressed by header, as E2B's sandbox proxy does.
      if (apiPath === '/health') return void res.writeHead(204).end();
      const s = live(req.headers['e2b-sandbox-id'] as string | undefined);
      if (!s) return json(502, { code: 502, message: 'sandbox not running' });
      if (req.headers['x-access-token'] !== accessToken) return json(401, { code: 401, message: 'bad access token' });
      if (apiPath === '/files') {
        const file = url.searchParams.get('path');
        if (!inside(file)) return json(403, { code: 403, message: `path outside ${o.root}` });
        if (req.method === 'POST') {
          mkdirSync(path.dirname(file!), { recursive: true });
          const type = req.headers['content-type'] ?? '';
          // The SDK streams files as octet-stream and sends strings and blobs as multipart form data.
          if (type.startsWith('multipart/form-data')) {
            const form = await new Response(await readBody(req, true), { headers: { 'content-type': type } }).formData();
            writeFileSync(file!, Buffer.from(await (form.get('file') as Blob).arrayBuffer()));
          } else await pipeline(req, createWriteStream(file!));
          return json(200, [{ name: path.basename(file!), type: 'file', path: file }]);
        }
        if (!existsSync(file!)) return json(404, { code: 404, message: `${file} not found` });
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(statSync(file!).size) });
        await pipeline(createReadStream(file!), res);
        return;
      }
      if (apiPath === '/process.Process/Start') return startProcess(s, req, res);
      if (apiPath === '/process.Process/SendSignal') {
        const body = JSON.parse(await readBody(req)) as { process: { pid: number }; signal: string };
        const child = [...s.running].find((c) => c.pid === body.process.pid);
        if (!child) return json(404, { code: 'not_found', message: `process ${body.process.pid} not found` });
        child.kill(body.signal === 'SIGNAL_SIGTERM' ? 'SIGTERM' : 'SIGKILL');
        return json(200, {});
      }
      return json(404, { code: 404, message: `no route ${req.method} ${apiPath}` });
    };
    handle().catch((err: Error) => {
      if (!res.headersSent) json(500, { code: 500, message: err.message });
      else res.destroy(err);
    });
  });

  /** Connect server streaming: enveloped JSON messages, then an end-of-stream envelope (flag 2). */
  async function startProcess(s: FakeSandbox, req: http.IncomingMessage, res: http.ServerResponse) {
    const body = await readBody(req, true);
    const request = JSON.parse(body.subarray(5).toString('utf8')) as { process: { cmd: string; args?: string[]; envs?: Record<string, string>; cwd?: string } };
    const { cmd, args = [], envs = {}, cwd } = request.process;
    s.commandEnvs.push(envs);
    const child = spawn(cmd, args, { cwd: cwd ?? o.root, env: { PATH: process.env.PATH, HOME: o.root, ...envs }, stdio: ['ignore', 'pipe', 'pipe'] });
    s.running.add(child);
    res.writeHead(200, { 'content-type': 'application/connect+json' });
    const send = (message: unknown, flags = 0) => {
      const payload = Buffer.from(JSON.stringify(message));
      const header = Buffer.alloc(5);
      header.writeUInt8(flags, 0);
      header.writeUInt32BE(payload.length, 1);
      res.write(Buffer.concat([header, payload]));
    };
    send({ event: { start: { pid: child.pid } } });
    child.stdout.on('data', (d: Buffer) => send({ event: { data: { stdout: d.toString('base64') } } }));
    child.stderr.on('data', (d: Buffer) => send({ event: { data: { stderr: d.toString('base64') } } }));
    child.once('close', (code, signal) => {
      s.running.delete(child);
      const exitCode = code ?? -1;
      send({ event: { end: { exitCode, exited: code !== null, status: signal ? `signal: ${signal}` : `exit status ${exitCode}` } } });
      send({}, 2);
      res.end();
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiKey,
    calls,
    sandboxes,
    async stop() {
      for (const s of sandboxes.values()) for (const child of s.running) child.kill('SIGKILL');
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: http.IncomingMessage): Promise<string>;
function readBody(req: http.IncomingMessage, raw: true): Promise<Buffer>;
async function readBody(req: http.IncomingMessage, raw?: true): Promise<string | Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return raw ? body : body.toString('utf8');
}
