import assert from 'node:assert/strict';
import { OsirisError } from '../../src/errors.js';

/** Awaits a promise that must reject with an OsirisError, and returns that error for its code, message, hint. */
export async function rejection(promise: Promise<unknown>): Promise<OsirisError> {
  const err = await promise.then(
    () => assert.fail('expected a failure'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof OsirisError, String(err));
  return err;
}
