import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { Payload } from '@temporalio/common';
import { z } from 'zod';
import { loadProjectConfig } from '../../config/project-config.js';
import { OsirisError } from '../../errors.js';
import { osirisPayloadCodecs } from '../../temporal/data-converter.js';
import { EXIT } from '../output.js';

/** The Web UI's remote codec protocol: payloads as JSON, metadata values and data in base64. */
const payloadsBody = z.strictObject({
  payloads: z.array(z.object({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() })),
});
type JsonPayload = z.infer<typeof payloadsBody>['payloads'][number];

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
  data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
});
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

export interface CodecServerOptions {
  port: number;
  host: string;
  /** Origins allowed by CORS (the Web UI's); default the embedded server's UI. */
  origin: string[];
}

/**
 * Starts the codec endpoint: POST /decode and /encode with the keys from the environment, CORS for
 * the UI's origin, and, when OSIRIS_CODEC_SERVER_TOKEN is set, `Authorization: Bearer <token>` required.
 */
export function startCodecServer(o: CodecServerOptions, env: NodeJS.ProcessEnv = process.env): Promise<http.Server> {
  const codecs = osirisPayloadCodecs(env);
  if (codecs.length === 0) {
    throw new OsirisError('CONFIG_INVALID', 'No codec keys: set OSIRIS_CODEC_KEYS or OSIRIS_CODEC_KEY_FILE', {
      hint: 'The codec server decodes with the same keys as the workers: `export OSIRIS_CODEC_KEYS="k1=$(openssl rand -base64 32)"`.',
    });
  }
  const token = env.OSIRIS_CODEC_SERVER_TOKEN?.trim();
  const authorized = (header: string | undefined) => {
    if (!token) return true;
    const expected = Buffer.from(`Bearer ${token}`);
    const given = Buffer.from(header ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  const server = http.createServer((req, res) => {
    const origin = req.headers.origin;
    if (origin && o.origin.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Vary', 'Origin');
    }
    const reply = (status: number, body?: unknown) => {
      res.writeHead(status, body === undefined ? {} : { 'Content-Type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (req.method === 'OPTIONS') return reply(origin && o.origin.includes(origin) ? 204 : 403);
    const route = req.url?.split('?')[0]?.replace(/\/+$/, '');
    if (req.method !== 'POST' || (route !== '/decode' && route !== '/encode')) return reply(404, { error: 'POST /decode or /encode' });
    if (!authorized(req.headers.authorization)) return reply(401, { error: 'a bearer token is required' });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        let parsed;
        try {
          parsed = payloadsBody.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          return reply(400, { error: 'the body is not JSON' });
        }
        if (!parsed.success) return reply(400, { error: `the body must be {"payloads": [...]}: ${parsed.error.issues[0]?.message}` });
        try {
          let payloads = parsed.data.payloads.map(fromJson);
          if (route === '/encode') for (const c of codecs) payloads = await c.encode(payloads);
          else for (const c of [...codecs].reverse()) payloads = await c.decode(payloads);
          reply(200, { payloads: payloads.map(toJson) });
        } catch (err) {
          // Say what is wrong (e.g. an unknown key id), never a payload.
          reply(400, { error: (err as Error).message });
        }
      })();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve(server));
  });
}

/** `osiris codec-server [--port 8888] [--origin URL]...` in the foreground. */
export async function codecServerCommand(opts: { port: number; host: string; origin: string[] }): Promise<number> {
  const config = loadProjectConfig();
  const origin = opts.origin.length > 0 ? opts.origin : [`http://localhost:${config.temporal.ui_port}`, `http://127.0.0.1:${config.temporal.ui_port}`];
  const server = await startCodecServer({ port: opts.port, host: opts.host, origin });
  const address = server.address() as import('node:net').AddressInfo;
  process.stdout.write(
    `Codec server on http://${opts.host}:${address.port} (CORS for ${origin.join(', ')}${process.env.OSIRIS_CODEC_SERVER_TOKEN ? ', bearer token required' : ''}).\n` +
      `Web UI: Settings > Codec Server, or start the server with TEMPORAL_CODEC_ENDPOINT=http://${opts.host}:${address.port}. Ctrl-C to stop.\n`,
  );
  await new Promise<void>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => server.close(() => resolve()));
  });
  return EXIT.ok;
}
