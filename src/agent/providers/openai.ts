/**
 * `openai`: Chat Completions with tool calling through the official SDK. `llm.base_url` (or
 * OPENAI_BASE_URL) points it at any OpenAI-compatible server: Ollama, vLLM, llama.cpp.
 */
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { OsirisError } from '../../errors.js';
import type { ChatMessage, LlmProvider, LlmRequest, LlmResponse } from '../types.js';
import { modelsOf, REQUEST_TIMEOUT_MS, type LlmConfig } from './config.js';
import { LlmError, withFallbacks, type ProviderSettings } from './errors.js';
import { decodeToolCall } from './tool-calls.js';

/** An OpenAI-compatible service: its name in messages, where its key and base URL come from. */
export interface OpenAiPreset extends ProviderSettings {
  baseUrlVariable: string;
  /** The service's endpoint when neither llm.base_url nor the variable is set (OpenAI's SDK default otherwise). */
  defaultBaseUrl?: string;
}

export const OPENAI_PRESET: OpenAiPreset = { provider: 'openai', keyVariable: 'OPENAI_API_KEY', baseUrlVariable: 'OPENAI_BASE_URL' };
/** Google Gemini through its OpenAI-compatible endpoint. */
export const GEMINI_PRESET: OpenAiPreset = {
  provider: 'gemini',
  keyVariable: 'GEMINI_API_KEY',
  baseUrlVariable: 'GEMINI_BASE_URL',
  defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai/',
};

/** The part of a completion we read; anything else a compatible server sends is ignored. */
const completionSchema = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullish(),
          tool_calls: z.array(z.object({ id: z.string(), type: z.string().optional(), function: z.object({ name: z.string(), arguments: z.string().nullish() }) })).nullish(),
        }),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullish(),
});

export function createOpenAiProvider(llm: LlmConfig, env: NodeJS.ProcessEnv, preset: OpenAiPreset = OPENAI_PRESET): LlmProvider {
  const SETTINGS: ProviderSettings = preset;
  const models = modelsOf(llm);
  const configured = llm.base_url ?? (env[preset.baseUrlVariable] || undefined);
  const baseURL = configured ?? preset.defaultBaseUrl;
  const apiKey = env[preset.keyVariable];
  // A key is needed unless a local server was named (a preset's public endpoint always wants one).
  if (!apiKey && !configured) {
    throw new OsirisError('CONFIG_INVALID', `${preset.keyVariable} is not set`, { hint: `Export ${preset.keyVariable} (or put it in .env), or set llm.base_url for a local server.` });
  }
  // Local servers (Ollama, llama.cpp) ignore the key, but the SDK insists on one. Temporal owns retries.
  const client = new OpenAI({ apiKey: apiKey || 'no-key', baseURL, maxRetries: 0, timeout: REQUEST_TIMEOUT_MS });

  return {
    name: preset.provider,
    complete(request, { signal }) {
      return withFallbacks(models, SETTINGS, async (model): Promise<LlmResponse> => {
        const raw = await client.chat.completions.create(
          { model, messages: toOpenAiMessages(request), tools: toOpenAiTools(request), ...(llm.temperature === undefined ? {} : { temperature: llm.temperature }) },
          { signal },
        );
        const parsed = completionSchema.safeParse(raw);
        if (!parsed.success) {
          throw new LlmError(`${preset.provider}: the answer from ${baseURL ?? 'api.openai.com'} is not a Chat Completions response (${z.prettifyError(parsed.error)})`, {
            hint: 'Check llm.base_url: it must be the /v1 root of an OpenAI-compatible server.',
            retryable: false,
          });
        }
        const { message } = parsed.data.choices[0]!;
        const usage = parsed.data.usage;
        return {
          text: message.content ?? undefined,
          toolCalls: (message.tool_calls ?? []).map((c) => decodeToolCall(c.id, c.function.name, c.function.arguments ?? '')),
          usage: usage ? { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens } : undefined,
          model: `${preset.provider}/${parsed.data.model ?? model}`,
        };
      });
    },
  };
}

function toOpenAiTools(request: LlmRequest): ChatCompletionTool[] {
  return request.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
}

function toOpenAiMessages(request: LlmRequest): ChatCompletionMessageParam[] {
  return [{ role: 'system', content: request.system }, ...request.messages.map(toOpenAiMessage)];
}

function toOpenAiMessage(m: ChatMessage): ChatCompletionMessageParam {
  if (m.role === 'user') return { role: 'user', content: m.content };
  if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
  if (!m.toolCalls?.length) return { role: 'assistant', content: m.content };
  return {
    role: 'assistant',
    content: m.content || null,
    // An invalid call is replayed as the model wrote it, so the error that follows makes sense to it.
    tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.rawArguments ?? JSON.stringify(c.arguments) } })),
  };
}
