import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deploymentOptionsSchema, parseBindAddress, workerTuning } from '../../src/workers/deployment.js';

test('worker flags: ports and host:port parsed, bad values refused naming the flag, tuning passed to the SDK', () => {
  assert.deepEqual(parseBindAddress('9464', '--metrics'), { host: '0.0.0.0', port: 9464 });
  assert.deepEqual(parseBindAddress('127.0.0.1:8080', '--health'), { host: '127.0.0.1', port: 8080 });
  assert.deepEqual(parseBindAddress('[::1]:8080', '--health'), { host: '::1', port: 8080 });
  assert.throws(() => parseBindAddress('abc', '--metrics'), /--metrics "abc" is not a port or host:port/);
  assert.throws(() => parseBindAddress('1:99999', '--health'), /--health "1:99999"/);

  const parsed = deploymentOptionsSchema.parse({ maxActivities: 4 });
  assert.deepEqual(workerTuning(parsed), { maxConcurrentActivityTaskExecutions: 4, shutdownGraceTime: '60 seconds' });
  assert.equal(deploymentOptionsSchema.safeParse({ maxActivities: Number('x') }).success, false);
  assert.equal(deploymentOptionsSchema.safeParse({ graceSeconds: -1 }).success, false);
});
