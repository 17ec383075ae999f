import { parseModes } from '../directives.js';
import type { LlmProvider } from '../types.js';
import { createAnthropicProvider } from './anthropic.js';
import type { LlmConfig } from './config.js';
import { createOfflineProvider } from './offline.js';
import { createOpenAiProvider, GEMINI_PRESET } from './openai.js';

/** The values of `llm.provider` in osiris.yaml. */
export type ProviderName = LlmConfig['provider'];
export type { LlmConfig } from './config.js';

export function createProvider(llm: LlmConfig, env: NodeJS.ProcessEnv = process.env): LlmProvider {
  const offline = createOfflineProvider();
  if (llm.provider === 'offline') return offline;
  const model =
    llm.provider === 'openai' ? createOpenAiProvider(llm, env) : llm.provider === 'gemini' ? createOpenAiProvider(llm, env, GEMINI_PRESET) : createAnthropicProvider(llm, env);
  return {
    name: model.name,
    complete(request, options) {
      const userText = request.messages.findLast((m) => m.role === 'user')?.content ?? '';
      // `SQL: ...` runs the user's query as written: the offline planner does that deterministically, for every provider.
      return parseModes(userText).sql !== undefined ? offline.complete(request, options) : model.complete(request, options);
    },
  };
}

