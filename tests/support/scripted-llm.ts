/**
 * A local HTTP server on 127.0.0.1 that answers as a model API with scripted replies, so the REAL
 * OpenAI and Anthropic SDKs are driven over the wire. openai-server.ts and anthropic-server.ts give
 * the wire formats; a script decides each reply from a provider-neutral view of the request.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedToolCall {
  name: string;
  /** An object, or a string sent verbatim as the arguments (to script malformed JSON). */
  arguments: Record<string, unknown> | string;
}

export type ScriptedReply =
  | { text: string; usage?: { input: number; output: number } }
  | { toolCalls: ScriptedToolCall[]; text?: string; usage?: { input: number; output: number } }
  | { status: number; headers?: Record<string, string>; message?: string };

/** What a script sees of a request, whichever wire format carried it. */
export interface RequestView {
  system: string;
  /** The text of the latest user message (not a tool result). */
  userText: string;
  /** Tool results sent since that message, in order. */
  /** `isError`: the provider marked the result as a failed call (Anthropic's is_error). */
  toolResults: { content: string; isError?: boolean }[];
  model: string;
  at: number;
}

export interface WireFormat {
  /** The path the SDK posts to. */
  path: string;
  view(body: Record<string, unknown>): Omit<RequestView, 'at'>;
  encode(reply: Exclude<ScriptedReply, { status: number }>, model: string, n: number): unknown;
  error(status: number, message: string): unknown;
}

export type Script = (request: RequestView, index: number) => ScriptedReply;

export interface ScriptedServer {
  /** The base URL to give the SDK. */
  url: string;
  requests: RequestView[];
  /** Replaceable between tests. */
  script: Script;
  close(): Promise<void>;
}

export async function startScriptedServer(format: WireFormat, baseSuffix: string, script: Script): Promise<ScriptedServer> {
  let counter = 0;
  const state: ScriptedServer = { url: '', requests: [], script, close: async () => undefined };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== format.path) return send(404, format.error(404, `no route ${req.method} ${req.url}`));
      const view = { ...format.view(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>), at: Date.now() };
      state.requests.push(view);
      let reply: ScriptedReply;
      try {
        reply = state.script(view, state.requests.length - 1);
      } catch (err) {
        return send(500, format.error(500, `script failed: ${(err as Error).message}`));
      }
      if ('status' in reply) return send(reply.status, format.error(reply.status, reply.message ?? `scripted ${reply.status}`), reply.headers);
      counter++;
      send(200, format.encode(reply, view.model, counter));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${baseSuffix}`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}

/** A script from a list of steps per user message: turn = which message, step = tool results so far. */
export function turnScript(turns: Record<string, ((view: RequestView) => ScriptedReply)[]>): Script {
  return (view) => {
    const steps = Object.entries(turns).find(([prefix]) => view.userText.startsWith(prefix))?.[1];
    if (!steps) return { text: `no script for "${view.userText}"` };
    const step = steps[Math.min(view.toolResults.length, steps.length - 1)]!;
    return step(view);
  };
}

export const AVA_QUERY =
  "SELECT m.title, m.release_year, AVG(r.rating) AS avg_rating FROM movies m JOIN directors d USING (director_id) LEFT JOIN reviews r USING (movie_id) WHERE d.name = 'Ava DuVernay' GROUP BY m.movie_id ORDER BY m.title";

export function exportOml(query: string, name = 'ava-duvernay-movies', path = 'ava_movies.csv'): string {
  return `oml_version: "0.1.0"
name: ${name}
steps:
  - id: movies
    component: sqlite.extractor
    mode: read
    config:
      connection: "@sqlite.demo"
      query: ${JSON.stringify(query)}
  - id: save
    component: ${path.endsWith('.parquet') ? 'filesystem.parquet_writer' : path.endsWith('.json') ? 'filesystem.json_writer' : 'filesystem.csv_writer'}
    mode: write
    config: { path: ${path} }
`;
}

const lastResult = (view: RequestView) => view.toolResults.at(-1)?.content ?? '';

/** The model's side of the demo conversation: discover, search, propose; the answers quote the tool results. */
export const demoConversation: Script = turnScript({
  'find director Ava DuVernay': [
    () => ({ toolCalls: [{ name: 'list_tables', arguments: {} }] }),
    () => ({ toolCalls: [{ name: 'search_data', arguments: { term: 'Ava DuVernay' } }] }),
    (view) => ({ text: `Found her in the directors table: ${lastResult(view)}` }),
  ],
  'export her movies': [
    () => ({ toolCalls: [{ name: 'propose_pipeline', arguments: { oml: exportOml(AVA_QUERY) } }] }),
    (view) => {
      const result = JSON.parse(lastResult(view)) as { fingerprint?: string; error?: string };
      return { text: result.fingerprint ? `Proposed ava-duvernay-movies, fingerprint ${result.fingerprint}. Approve it to run.` : `Failed: ${result.error}` };
    },
  ],
});
