import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anthropicBaseUrl } from '../../src/agent/providers/anthropic.js';
import { backoffMs, LLM_RETRY, nextRetryDelayMs } from '../../src/agent/providers/retry-policy.js';

test('Retry-After is a floor under the backoff, not a replacement', () => {
  assert.equal(backoffMs(1), LLM_RETRY.initialIntervalMs);
  assert.equal(backoffMs(3), LLM_RETRY.initialIntervalMs * 4);
  assert.equal(backoffMs(50), LLM_RETRY.maximumIntervalMs);
  assert.equal(nextRetryDelayMs(0, 3), backoffMs(3), 'Retry-After: 0 does not mean retry at once');
  assert.equal(nextRetryDelayMs(100, 2), backoffMs(2));
  assert.equal(nextRetryDelayMs(undefined, 2), backoffMs(2));
  assert.equal(nextRetryDelayMs(90_000, 1), 90_000, 'a longer wait asked by the server is honoured');
});

test('Anthropic base_url with or without /v1 means the same root', () => {
  assert.equal(anthropicBaseUrl('http://127.0.0.1:8080/v1'), 'http://127.0.0.1:8080');
  assert.equal(anthropicBaseUrl('http://127.0.0.1:8080/v1/'), 'http://127.0.0.1:8080');
  assert.equal(anthropicBaseUrl('http://127.0.0.1:8080'), 'http://127.0.0.1:8080');
  assert.equal(anthropicBaseUrl(undefined), undefined);
});
