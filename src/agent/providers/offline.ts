/**
 * The `offline` provider: a small deterministic planner that needs no network. It reads the whole
 * conversation (the current turn's tool results and what earlier turns found) and returns either the
 * next tool calls or the answer. Same messages in, same response out.
 */
import type { LlmProvider, LlmRequest, LlmResponse } from '../types.js';
import { nextCallNumber } from './offline/conversation.js';
import { planNext } from './offline/planner.js';

export const OFFLINE_MODEL = 'offline-planner';

export function createOfflineProvider(): LlmProvider {
  return {
    name: 'offline',
    async complete(request: LlmRequest): Promise<LlmResponse> {
      const plan = planNext(request.messages);
      if ('text' in plan) return { text: plan.text, shows: plan.shows, toolCalls: [], model: OFFLINE_MODEL };
      const first = nextCallNumber(request.messages);
      return { toolCalls: plan.calls.map((c, i) => ({ id: `call_${first + i}`, name: c.name, arguments: c.arguments })), model: OFFLINE_MODEL };
    },
  };
}
