/**
 * The MCP server's only way to touch a database or a file: start an `agentTool` workflow on the
 * control queue and wait for its result. The server itself is a Temporal client and nothing more.
 */
import type { Client } from '@temporalio/client';
import { ulid } from 'ulid';
import { TOOL_ACTIVITY, type ProjectActivities, type ProjectActivityName } from '../activities/agent-types.js';
import type { AgentSettings, ToolName, ToolResult } from '../agent/types.js';
import { requireWorkers } from '../client/check-workers.js';
import type { agentTool } from '../workflows/agent-tool.js';
import { CONTROL_TASK_QUEUE } from '../workflows/task-queues.js';

/** A worker check that passed is trusted this long, so a burst of calls costs one check. */
const WORKER_CHECK_TTL_MS = 10_000;

export interface WorkerCalls {
  project<A extends ProjectActivityName>(activity: A, input: Parameters<ProjectActivities[A]>[0]): Promise<Awaited<ReturnType<ProjectActivities[A]>>>;
  agentTool(name: ToolName, args: Record<string, unknown>): Promise<ToolResult>;
  /** Throws TEMPORAL_UNAVAILABLE naming the worker to start when no worker polls a needed queue. */
  requireWorkers(): Promise<void>;
}

export function createWorkerCalls(client: Client, settings: AgentSettings): WorkerCalls {
  let checkedAt = -Infinity;
  const ready = async () => {
    if (Date.now() - checkedAt < WORKER_CHECK_TTL_MS) return;
    await requireWorkers(client, 'local');
    checkedAt = Date.now();
  };
  const start = async (request: Parameters<typeof agentTool>[0]): Promise<unknown> => {
    await ready();
    return client.workflow.execute<typeof agentTool>('agentTool', {
      taskQueue: CONTROL_TASK_QUEUE,
      workflowId: `osiris-tool-${request.activity}-${ulid().toLowerCase()}`,
      workflowExecutionTimeout: '5 minutes',
      args: [request],
    });
  };
  return {
    requireWorkers: ready,
    async project(activity, input) {
      return (await start({ activity, input } as Parameters<typeof agentTool>[0])) as never;
    },
    async agentTool(name, args) {
      const call = { id: `mcp_${ulid().toLowerCase()}`, name, arguments: args };
      return (await start({ activity: TOOL_ACTIVITY[name], input: { call, settings } } as Parameters<typeof agentTool>[0])) as ToolResult;
    },
  };
}
