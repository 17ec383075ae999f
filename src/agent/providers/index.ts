import { OsirisError } from '../../errors.js';
import type { LlmProvider } from '../types.js';
import { createOfflineProvider } from './offline.js';

/** The values of `llm.provider` in osiris.yaml. */
export type ProviderName = 'offline' | 'openai' | 'anthropic';

export function createProvider(name: ProviderName): LlmProvider {
  if (name === 'offline') return createOfflineProvider();
  throw new OsirisError('CONFIG_INVALID', `The "${name}" LLM provider is not available in this build yet`, {
    hint: 'Set `llm.provider: offline` in osiris.yaml (or remove the llm section) to use the built-in offline planner.',
  });
}
