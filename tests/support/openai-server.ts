/** A scripted server speaking the OpenAI Chat Completions wire format (POST /v1/chat/completions). */
import { startScriptedServer, type Script, type ScriptedServer, type WireFormat } from './scripted-llm.js';

interface OpenAiMessage {
  role: string;
  content?: string | null;
}

const format: WireFormat = {
  path: '/v1/chat/completions',
  view(body) {
    const messages = body.messages as OpenAiMessage[];
    const lastUser = messages.findLastIndex((m) => m.role === 'user');
    return {
      system: messages.find((m) => m.role === 'system')?.content ?? '',
      userText: messages[lastUser]?.content ?? '',
      toolResults: messages.slice(lastUser + 1).flatMap((m) => (m.role === 'tool' ? [{ content: m.content ?? '' }] : [])),
      model: String(body.model),
    };
  },
  encode(reply, model, n) {
    const calls = 'toolCalls' in reply ? reply.toolCalls : [];
    const usage = reply.usage ?? { input: 1000 + n, output: 50 };
    return {
      id: `chatcmpl-${n}`,
      object: 'chat.completion',
      created: 1_700_000_000,
      model,
      choices: [
        {
          index: 0,
          finish_reason: calls.length ? 'tool_calls' : 'stop',
          message: {
            role: 'assistant',
            content: reply.text ?? null,
            tool_calls: calls.length
              ? calls.map((c, i) => ({ id: `call_${n}_${i}`, type: 'function', function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) } }))
              : undefined,
          },
        },
      ],
      usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
    };
  },
  error: (status, message) => ({ error: { message, type: status === 401 ? 'invalid_request_error' : 'server_error', code: status === 404 ? 'model_not_found' : null } }),
};

/** `url` ends in /v1, as OPENAI_BASE_URL does. */
export function startOpenAiServer(script: Script): Promise<ScriptedServer> {
  return startScriptedServer(format, '/v1', script);
}
