import { proxyActivities } from '@temporalio/workflow';
import type { AgentActivities, AgentToolRequest, ProjectActivities } from '../activities/agent-types.js';

const activities = proxyActivities<AgentActivities & ProjectActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 4 },
});

/**
 * One tool of a client that holds no secrets (the MCP server): runs a single agent-tool or project
 * activity on the workers and returns its result. Each call is its own short workflow, visible
 * in the Web UI with its input and result.
 */
export async function agentTool(request: AgentToolRequest): Promise<unknown> {
  const run = activities[request.activity] as (input: unknown) => Promise<unknown>;
  return run(request.input);
}
