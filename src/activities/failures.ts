import { ApplicationFailure } from '@temporalio/activity';
import { maskSecrets } from '../connections/secrets.js';
import { isOsirisError } from '../errors.js';

/**
 * Turns an error thrown by runtime code into what Temporal should record: OsirisErrors keep their
 * code as the failure type, their hint in details, and their retryability; anything else is
 * rethrown (retried with backoff) with secrets masked.
 */
export function toActivityFailure(err: unknown, secrets: Iterable<string>): Error {
  if (isOsirisError(err)) {
    return ApplicationFailure.create({
      message: maskSecrets(err.message, secrets),
      type: err.code,
      nonRetryable: !err.retryable,
      details: [{ hint: maskSecrets(err.hint, secrets) }],
    });
  }
  const error = err instanceof Error ? err : new Error(String(err));
  const message = maskSecrets(error.message, secrets);
  if (message === error.message) return error;
  return ApplicationFailure.create({ message, type: error.name, details: [{ hint: 'A transient error; the step is retried with backoff.' }] });
}
