import path from 'node:path';
import { ApplicationFailure, Context, heartbeat } from '@temporalio/activity';
import { openDiscoveryCache } from '../agent/discovery-cache.js';
import { executeTool } from '../agent/execute-tool.js';
import { loadPrompts } from '../agent/prompts/load.js';
import { LlmError } from '../agent/providers/errors.js';
import { buildSystemPrompt, type SchemaSnapshot } from '../agent/system-prompt.js';
import { createToolContext } from '../agent/tool-context.js';
import { discoverSchema } from '../agent/tool-source.js';
import { toolDefinitions } from '../agent/tools.js';
import type { AgentSettings, LlmProvider, ToolName } from '../agent/types.js';
import type { ProjectConfig } from '../config/project-config.js';
import { TOOL_ACTIVITY, type AgentActivities, type ToolInput } from './agent-types.js';
import { toActivityFailure } from './failures.js';
import { nextRetryDelayMs } from '../agent/providers/retry-policy.js';

export interface AgentActivityDeps {
  config: Pick<ProjectConfig, 'projectDir' | 'stateDir' | 'outputDir' | 'llm'>;
  provider: LlmProvider;
}

/** How often a long LLM call heartbeats, so a dead worker is noticed well before the call's timeout. */
const HEARTBEAT_INTERVAL_MS = 5_000;

/** The conversation's activities (control queue): the LLM call and one activity per tool. */
export function createAgentActivities(deps: AgentActivityDeps): AgentActivities {
  const cache = openDiscoveryCache(path.join(deps.config.stateDir, 'discovery.sqlite'));
  // The offline planner reads only the messages: it gets no system prompt, so the discovery it does
  // stays visible in its tools' `cached` flags.
  const usesPrompt = deps.provider.name !== 'offline';
  const prompts = usesPrompt ? loadPrompts(deps.config.llm.prompts_dir && path.resolve(deps.config.projectDir, deps.config.llm.prompts_dir)) : undefined;

  const schemaOf = async (settings: AgentSettings): Promise<SchemaSnapshot> => {
    try {
      return { tables: await discoverSchema(createToolContext({ config: deps.config, settings, cache }), settings.connection) };
    } catch (err) {
      return { tables: [], error: err instanceof Error ? err.message : String(err) };
    }
  };

  const runTool = async ({ call, settings }: ToolInput) => {
    const secrets = new Set<string>();
    const ctx = createToolContext({ config: deps.config, settings, cache, onSecret: (secret) => secrets.add(secret) });
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
        const system = usesPrompt ? buildSystemPrompt(settings, { schema: await schemaOf(settings), prompts, budgetTokens: deps.config.llm.prompt_token_budget }) : '';
        return await deps.provider.complete({ system, messages, tools: toolDefinitions() }, { signal: Context.current().cancellationSignal });
      } catch (err) {
        throw llmFailure(err);
      } finally {
        clearInterval(timer);
      }
    },
  };
}

/** An LLM failure for Temporal: the server's Retry-After becomes the next attempt's delay. */
function llmFailure(err: unknown): Error {
  if (!(err instanceof LlmError)) return toActivityFailure(err, []);
  return ApplicationFailure.create({
    message: err.message,
    type: err.code,
    nonRetryable: !err.retryable,
    // Retry-After is a floor under the policy's backoff for this attempt.
    nextRetryDelay: err.retryable ? nextRetryDelayMs(err.retryAfterMs, Context.current().info.attempt) : undefined,
    details: [{ hint: err.hint }],
  });
}
