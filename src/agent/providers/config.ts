import { OsirisError } from '../../errors.js';
import type { ProjectConfig } from '../../config/project-config.js';

/** The `llm` section of osiris.yaml. */
export type LlmConfig = ProjectConfig['llm'];

/** Longer than any sane completion, shorter than the LLM activity's start-to-close timeout (2 min). */
export const REQUEST_TIMEOUT_MS = 100_000;

/** The model then the fallbacks, each once. */
export function modelsOf(llm: LlmConfig): string[] {
  if (!llm.model) {
    throw new OsirisError('CONFIG_INVALID', `llm.model is not set for the ${llm.provider} provider`, {
      hint: `Add \`model:\` under \`llm:\` in osiris.yaml (see README, "Using a model").`,
    });
  }
  return [...new Set([llm.model, ...llm.fallback_models])];
}
