/** `anthropic`: the Messages API with tools through the official SDK. */
import Anthropic from '@anthropic-ai/sdk';
import type { ContentBlockParam, MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { z } from 'zod';
import { OsirisError } from '../../errors.js';
import type { ChatMessage, LlmProvider, LlmResponse } from '../types.js';
import { modelsOf, REQUEST_TIMEOUT_MS, type LlmConfig } from './config.js';
import { LlmError, withFallbacks, type ProviderSettings } from './errors.js';
import { decodeToolCall } from './tool-calls.js';

const SETTINGS: ProviderSettings = { provider: 'anthropic', keyVariable: 'ANTHROPIC_API_KEY' };
/** The Messages API requires a cap; a proposal with a long OML fits well within it. */
const MAX_OUTPUT_TOKENS = 4096;

const textBlock = z.object({ type: z.literal('text'), text: z.string() });
const toolUseBlock = z.object({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.unknown() });

const messageSchema = z.object({
  model: z.string().optional(),
  // Thinking and server-tool blocks carry nothing the agent acts on: only these two are read.
  content: z.array(z.union([textBlock, toolUseBlock, z.looseObject({ type: z.string() })])),
  usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }).nullish(),
});

export function createAnthropicProvider(llm: LlmConfig, env: NodeJS.ProcessEnv): LlmProvider {
  const models = modelsOf(llm);
  const apiKey = env.ANTHROPIC_API_KEY;
  const baseURL = anthropicBaseUrl(llm.base_url ?? (env.ANTHROPIC_BASE_URL || undefined));
  if (!apiKey && !baseURL) {
    throw new OsirisError('CONFIG_INVALID', 'ANTHROPIC_API_KEY is not set', { hint: 'Export ANTHROPIC_API_KEY (or put it in .env), or set llm.base_url for a local server.' });
  }
  // A local server may not ask for a key; the SDK insists on one. Temporal owns retries.
  const client = new Anthropic({ apiKey: apiKey || 'no-key', baseURL, maxRetries: 0, timeout: REQUEST_TIMEOUT_MS });
  const tools = (request: { tools: { name: string; description: string; parameters: Record<string, unknown> }[] }): Tool[] =>
    request.tools.map((t) => ({ name: t.name, description: t.description, input_schema: { ...t.parameters, type: 'object' } }));

  return {
    name: 'anthropic',
    complete(request, { signal }) {
      return withFallbacks(models, SETTINGS, async (model): Promise<LlmResponse> => {
        const raw = await client.messages.create(
          {
            model,
            max_tokens: MAX_OUTPUT_TOKENS,
            system: request.system,
            messages: toAnthropicMessages(request.messages),
            tools: tools(request),
            ...(llm.temperature === undefined ? {} : { temperature: llm.temperature }),
          },
          { signal },
        );
        const parsed = messageSchema.safeParse(raw);
        if (!parsed.success) {
          throw new LlmError(`anthropic: the answer is not a Messages API response (${z.prettifyError(parsed.error)})`, {
            hint: 'Check llm.base_url: it must be the root of an Anthropic-compatible server.',
            retryable: false,
          });
        }
        const blocks = parsed.data.content;
        const text = blocks.flatMap((b) => (textBlock.safeParse(b).success ? [(b as z.infer<typeof textBlock>).text] : [])).join('\n');
        const calls = blocks.flatMap((b) => {
          const use = toolUseBlock.safeParse(b);
          return use.success ? [decodeToolCall(use.data.id, use.data.name, use.data.input)] : [];
        });
        const usage = parsed.data.usage;
        return {
          text: text || undefined,
          toolCalls: calls,
          usage: usage ? { inputTokens: usage.input_tokens, outputTokens: usage.output_tokens } : undefined,
          model: `anthropic/${parsed.data.model ?? model}`,
        };
      });
    },
  };
}

/** The SDK appends /v1/messages itself: "http://host/v1" and "http://host" both mean the root. */
export function anthropicBaseUrl(url: string | undefined): string | undefined {
  return url?.replace(/\/+$/, '').replace(/\/v1$/, '');
}

/** A tool result whose content is an error object (what executeTool writes for every failed call). */
function isToolError(content: string): boolean {
  try {
    const parsed = JSON.parse(content) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && 'error' in parsed;
  } catch {
    return false;
  }
}

/**
 * Anthropic wants strictly alternating user/assistant turns, tool results as blocks of a user
 * message, and no empty text blocks: consecutive messages of one side are merged into one.
 */
function toAnthropicMessages(messages: ChatMessage[]): MessageParam[] {
  const out: { role: 'user' | 'assistant'; content: ContentBlockParam[] }[] = [];
  for (const m of messages) {
    const role = m.role === 'assistant' ? 'assistant' : 'user';
    const blocks: ContentBlockParam[] = [];
    // A failed tool call is marked as such, so the model reads it as an error to act on.
    if (m.role === 'tool') blocks.push({ type: 'tool_result', tool_use_id: m.toolCallId, content: m.content, ...(isToolError(m.content) ? { is_error: true } : {}) });
    else if (m.content.trim() !== '') blocks.push({ type: 'text', text: m.content });
    if (m.role === 'assistant') for (const c of m.toolCalls ?? []) blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: c.arguments });
    if (blocks.length === 0) blocks.push({ type: 'text', text: '(empty)' });
    const last = out.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  }
  return out;
}
