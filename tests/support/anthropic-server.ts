/** A scripted server speaking the Anthropic Messages wire format (POST /v1/messages). */
import { startScriptedServer, type Script, type ScriptedServer, type WireFormat } from './scripted-llm.js';

type Block = { type: 'text'; text: string } | { type: 'tool_result'; content: string; is_error?: boolean } | { type: string };
interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: string | Block[];
}

const blocks = (m: AnthropicMessage): Block[] => (typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content);

const format: WireFormat = {
  path: '/v1/messages',
  view(body) {
    const messages = body.messages as AnthropicMessage[];
    // A user message holding text (not only tool results) starts a turn.
    const lastUser = messages.findLastIndex((m) => m.role === 'user' && blocks(m).some((b) => b.type === 'text'));
    const text = (m: AnthropicMessage | undefined) => (m ? blocks(m).flatMap((b) => (b.type === 'text' && 'text' in b ? [b.text] : [])).join('\n') : '');
    return {
      system: typeof body.system === 'string' ? body.system : '',
      userText: text(messages[lastUser]),
      toolResults: messages
        .slice(lastUser)
        .flatMap((m) => (m.role === 'user' ? blocks(m) : []))
        .flatMap((b) => (b.type === 'tool_result' && 'content' in b ? [{ content: b.content, isError: 'is_error' in b && b.is_error === true }] : [])),
      model: String(body.model),
    };
  },
  encode(reply, model, n) {
    const calls = 'toolCalls' in reply ? reply.toolCalls : [];
    const usage = reply.usage ?? { input: 1000 + n, output: 50 };
    return {
      id: `msg_${n}`,
      type: 'message',
      role: 'assistant',
      model,
      content: [
        ...(reply.text ? [{ type: 'text', text: reply.text }] : []),
        ...calls.map((c, i) => ({ type: 'tool_use', id: `toolu_${n}_${i}`, name: c.name, input: typeof c.arguments === 'string' ? { raw: c.arguments } : c.arguments })),
      ],
      stop_reason: calls.length ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: usage.input, output_tokens: usage.output },
    };
  },
  error: (status, message) => ({
    type: 'error',
    error: { type: status === 401 ? 'authentication_error' : status === 404 ? 'not_found_error' : status === 529 ? 'overloaded_error' : 'api_error', message },
  }),
};

/** `url` is the server root, as ANTHROPIC_BASE_URL is (the SDK appends /v1/messages). */
export function startAnthropicServer(script: Script): Promise<ScriptedServer> {
  return startScriptedServer(format, '', script);
}
