/**
 * What the cloud SDKs' failures mean for Temporal, shared by every provider. Both official SDKs
 * (Stainless-generated) throw errors with `status` and `headers`, so one mapping serves both:
 * 429/5xx/timeouts/connection errors are retryable (honouring Retry-After), a bad key or an unknown
 * model is not, and the message names the setting to fix.
 */
import { OsirisError } from '../../errors.js';

/** The settings a message can point the user at. */
export interface ProviderSettings {
  provider: string;
  /** The environment variable holding the key, e.g. OPENAI_API_KEY. */
  keyVariable: string;
}

/** An OsirisError that may carry the server's requested delay (Retry-After) for the next attempt. */
export class LlmError extends OsirisError {
  readonly retryAfterMs?: number;
  /** The model does not exist (or is not served): the next fallback model may. */
  readonly modelMissing: boolean;

  constructor(message: string, options: { hint: string; retryable: boolean; retryAfterMs?: number; modelMissing?: boolean; cause?: unknown }) {
    super(options.retryable ? 'TRANSIENT' : 'CONFIG_INVALID', message, options);
    this.name = 'LlmError';
    this.retryAfterMs = options.retryAfterMs;
    this.modelMissing = options.modelMissing ?? false;
  }
}

interface ApiErrorShape {
  status?: number;
  headers?: Headers | Record<string, string | null | undefined>;
  message: string;
  name: string;
}

/** Retry-After in seconds or as an HTTP date, or the `retry-after-ms` both SDKs' servers also send. */
export function retryAfterMs(headers: ApiErrorShape['headers'], now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const get = (name: string) => (headers instanceof Headers ? headers.get(name) : (headers[name] ?? undefined));
  const ms = Number(get('retry-after-ms'));
  if (get('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const value = get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Maps anything a provider call threw to an LlmError; an abort (activity cancelled) is rethrown as is. */
export function toLlmError(err: unknown, model: string, settings: ProviderSettings): unknown {
  if (!(err instanceof Error) || err instanceof LlmError) return err;
  // The activity was cancelled: let the cancellation propagate untouched.
  if (err.name === 'APIUserAbortError' || err.name === 'AbortError') return err;
  const e = err as ApiErrorShape;
  const detail = e.message.replace(/\s+/g, ' ').slice(0, 300);
  const who = settings.provider;
  if (e.status === undefined) {
    // Not from the API at all (a bug, a malformed answer): the activity's default mapping applies.
    if (err.name !== 'APIConnectionError' && err.name !== 'APIConnectionTimeoutError') return err;
    const timedOut = err.name === 'APIConnectionTimeoutError';
    return new LlmError(`${who}: ${timedOut ? 'the request timed out' : `could not reach the server (${detail})`}`, {
      hint: 'Retried with backoff. If it persists, check llm.base_url and the network.',
      retryable: true,
      cause: err,
    });
  }
  if (e.status === 401 || e.status === 403) {
    return new LlmError(`${settings.keyVariable} is invalid: ${who} answered ${e.status} (${detail})`, {
      hint: `Set ${settings.keyVariable} in the environment or in .env to a valid key (it is never read from osiris.yaml).`,
      retryable: false,
      cause: err,
    });
  }
  if (e.status === 404 || /model[_ ]not[_ ]found|does not exist|unknown model/i.test(detail)) {
    return new LlmError(`llm.model '${model}' does not exist on ${who} (${detail})`, {
      hint: 'Set llm.model in osiris.yaml to a model the server offers (or add llm.fallback_models).',
      retryable: false,
      modelMissing: true,
      cause: err,
    });
  }
  if (e.status === 408 || e.status === 409 || e.status === 429 || e.status >= 500) {
    return new LlmError(`${who} is unavailable for '${model}' (${e.status}: ${detail})`, {
      hint: 'Retried with backoff, after the delay the server asked for when it gave one.',
      retryable: true,
      retryAfterMs: retryAfterMs(e.headers),
      cause: err,
    });
  }
  return new LlmError(`${who} refused the request for '${model}' (${e.status}: ${detail})`, {
    hint: 'Check llm.model, llm.temperature and llm.base_url in osiris.yaml.',
    retryable: false,
    cause: err,
  });
}

/**
 * Calls `attempt` with the model, then each fallback in order while the previous one does not exist
 * or is unavailable. Throws the most telling failure: a retryable one (with the longest Retry-After)
 * if any model may come back, else the primary model's.
 */
export async function withFallbacks<T>(models: string[], settings: ProviderSettings, attempt: (model: string) => Promise<T>): Promise<T> {
  const failures: LlmError[] = [];
  for (const model of models) {
    try {
      return await attempt(model);
    } catch (err) {
      const mapped = toLlmError(err, model, settings);
      if (!(mapped instanceof LlmError) || !(mapped.modelMissing || mapped.retryable)) throw mapped;
      failures.push(mapped);
    }
  }
  const retryable = failures.filter((f) => f.retryable);
  if (retryable.length === 0) throw failures[0]!;
  return Promise.reject(retryable.reduce((a, b) => ((b.retryAfterMs ?? 0) > (a.retryAfterMs ?? 0) ? b : a)));
}
