import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { repoRoot } from './cli.js';

export const osirisBin = path.join(repoRoot, 'bin', 'osiris.js');

/** A minimal environment: PATH/HOME only, plus what the caller adds (never the test process's own variables). */
export function bareEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...extra };
}

/** `osiris worker` (all queues) as its own process; its stderr is kept for inspection. */
export function startWorkerProcess(cwd: string, env: Record<string, string>): { child: ChildProcess; stderr: () => string } {
  let stderr = '';
  const child = spawn(process.execPath, [osirisBin, 'worker'], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, stderr: () => stderr };
}

export async function waitForPollers(address: string, queues: string[]): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const client = new TemporalClient({ connection });
    const { TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY } = proto.temporal.api.enums.v1.TaskQueueType;
    for (const [queue, type] of queues.map((q) => [q, q === 'osiris-control' ? TASK_QUEUE_TYPE_WORKFLOW : TASK_QUEUE_TYPE_ACTIVITY] as const)) {
      for (let i = 0; ; i++) {
        // On a loaded machine the server may still refuse for a moment: that is retried like "no poller yet".
        const response = await client.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: queue }, taskQueueType: type }).catch((err: unknown) => {
          if (i > 600) throw err;
          return undefined;
        });
        if ((response?.pollers ?? []).length > 0) break;
        if (i > 600) throw new Error(`no poller on ${queue}`);
        await sleep(100);
      }
    }
  } finally {
    await connection.close();
  }
}

export interface McpSession {
  client: Client;
  /** Every text the server sent back (tool results, resources), for secret scans. */
  replies: string[];
  stderr: () => string;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult & { structuredContent?: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** The built `osiris mcp` over stdio, driven by the SDK's own Client. */
export async function connectStdio(cwd: string, env: Record<string, string>, args: string[] = []): Promise<McpSession> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [osirisBin, 'mcp', ...args], cwd, env, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'osiris-mcp-test', version: '1.0.0' });
  await client.connect(transport);
  return session(client, () => stderr);
}

export function session(client: Client, stderr: () => string): McpSession {
  const replies: string[] = [];
  return {
    client,
    replies,
    stderr,
    async call(name, args = {}) {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult & { structuredContent?: Record<string, unknown> };
      replies.push(JSON.stringify(result));
      return result;
    },
    close: () => client.close(),
  };
}

/** The `{ error: { code, message, fix } }` body of a tool error. */
export function toolError(result: CallToolResult): { code: string; message: string; fix: string } {
  const text = result.content[0]?.type === 'text' ? result.content[0].text : '';
  return (JSON.parse(text) as { error: { code: string; message: string; fix: string } }).error;
}
