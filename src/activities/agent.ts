import path from 'node:path';
import { Context, heartbeat } from '@temporalio/activity';
import { executeTool, type ToolContext } from '../agent/execute-tool.js';
import { openDiscoveryCache } from '../agent/discovery-cache.js';
import { buildSystemPrompt } from '../agent/system-prompt.js';
import { toolDefinitions } from '../agent/tools.js';
import type { LlmProvider, ToolName } from '../agent/types.js';
import { createConnectionResolver } from '../config/connections.js';
import type { ProjectConfig } from '../config/project-config.js';
import { openDiscovery } from '../connectors/discovery-registry.js';
import { compileOml } from '../oml/compile.js';
import { checkTransformSql } from '../runtime/sql-guard.js';
import { TOOL_ACTIVITY, type AgentActivities, type ToolInput } from './agent-types.js';
import { toActivityFailure } from './failures.js';

export interface AgentActivityDeps {
  config: Pick<ProjectConfig, 'projectDir' | 'stateDir'>;
  provider: LlmProvider;
}

/** How often a long LLM call heartbeats, so a dead worker is noticed well before the call's timeout. */
const HEARTBEAT_INTERVAL_MS = 5_000;

/** The conversation's activities (control queue): the LLM call and one activity per tool. */
export function createAgentActivities(deps: AgentActivityDeps): AgentActivities {
  const cache = openDiscoveryCache(path.join(deps.config.stateDir, 'discovery.sqlite'));
  const resolveConnection = createConnectionResolver(deps.config);

  const runTool = async ({ call, settings }: ToolInput) => {
    const secrets = new Set<string>();
    const ctx: ToolContext = {
      settings,
      resolveConnection: async (ref) => {
        const resolved = await resolveConnection(ref);
        for (const secret of resolved.secrets ?? []) secrets.add(secret);
        return resolved;
      },
      openDiscovery,
      cache,
      compile: (text) => compileOml(text, { checkTransformSql }),
    };
    try {
      return await executeTool(call, ctx);
    } catch (err) {
      throw toActivityFailure(err, secrets);
    }
  };

  const tools = Object.fromEntries(Object.values(TOOL_ACTIVITY).map((activity) => [activity, runTool])) as Record<(typeof TOOL_ACTIVITY)[ToolName], typeof runTool>;

  return {
    ...tools,
    async llmComplete({ messages, settings }) {
      const timer = setInterval(() => heartbeat(), HEARTBEAT_INTERVAL_MS);
      try {
        // The system prompt and tool schemas are built here, not carried in workflow history on every call.
        return await deps.provider.complete({ system: buildSystemPrompt(settings), messages, tools: toolDefinitions() }, { signal: Context.current().cancellationSignal });
      } catch (err) {
        throw toActivityFailure(err, []);
      } finally {
        clearInterval(timer);
      }
    },
  };
}
