import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { osiris } from '../support/cli.js';
import { copyExample, makeProject } from '../support/project.js';
import { startTestTemporal, type TestTemporal } from '../support/temporal.js';
import { generateTestCerts, startTlsProxy, type TestCerts, type TlsProxy } from '../support/tls-proxy.js';
import { waitForOsirisWorkers, withWorkerProcess } from '../support/worker-process.js';

/**
 * A secured cluster: a TLS-terminating proxy in front of the dev server demands a client
 * certificate (mTLS) or an API key on every request. The built CLI and `osiris worker` connect
 * through it from TEMPORAL_* settings alone, and a wrong setting fails at once, named.
 */
let temporal: TestTemporal;
let certs: TestCerts;
let mtls: TlsProxy;
let keyed: TlsProxy;
let projectDir: string;
const API_KEY = 'osiris-test-key-5f1c2a';

before(async () => {
  temporal = await startTestTemporal();
  certs = generateTestCerts();
  mtls = await startTlsProxy({ upstream: temporal.address, certs, requireClientCert: true });
  keyed = await startTlsProxy({ upstream: temporal.address, certs, requireClientCert: false, apiKey: API_KEY });
  projectDir = makeProject();
  copyExample(projectDir);
});

after(async () => {
  await mtls?.close();
  await keyed?.close();
  await temporal?.stop();
});

function mtlsEnv(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    TEMPORAL_ADDRESS: mtls.address,
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.caCert,
    TEMPORAL_TLS_CLIENT_CERT_PATH: certs.clientCert,
    TEMPORAL_TLS_CLIENT_KEY_PATH: certs.clientKey,
    TEMPORAL_TLS_SERVER_NAME: certs.serverName,
    ...overrides,
  };
}

test('mTLS: the CLI and `osiris worker` run a pipeline through a proxy that demands a client certificate', async () => {
  const env = mtlsEnv();
  await withWorkerProcess({ cwd: projectDir, env }, async () => {
    await waitForOsirisWorkers(temporal.address);
    const run = await osiris(['run', 'examples/top-rated-movies.yaml'], { cwd: projectDir, env });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /✓ save-parquet/);
    assert.ok(mtls.forwarded > 20, `requests through the proxy: ${mtls.forwarded}`);
    assert.deepEqual([...mtls.peerSubjects], ['osiris-client']);
  });
});

test('mTLS: a wrong key, a certificate from another CA, no certificate or a wrong CA each fail at once, naming the setting', async () => {
  const cases: { env: NodeJS.ProcessEnv; code: number; message: RegExp }[] = [
    { env: mtlsEnv({ TEMPORAL_TLS_CLIENT_KEY_PATH: certs.rogueClientKey }), code: 2, message: /TEMPORAL_TLS_CLIENT_KEY_PATH is not the key of the certificate in TEMPORAL_TLS_CLIENT_CERT_PATH/ },
    { env: mtlsEnv({ TEMPORAL_TLS_CLIENT_CERT_PATH: path.join(certs.dir, 'missing.crt') }), code: 2, message: /TEMPORAL_TLS_CLIENT_CERT_PATH: cannot read .*missing\.crt: ENOENT/ },
    { env: mtlsEnv({ TEMPORAL_TLS_CLIENT_CERT_PATH: certs.caCert.replace('ca.crt', 'server.csr') }), code: 2, message: /TEMPORAL_TLS_CLIENT_CERT_PATH: not a PEM certificate/ },
    { env: mtlsEnv({ TEMPORAL_TLS_CLIENT_CERT_PATH: certs.rogueClientCert, TEMPORAL_TLS_CLIENT_KEY_PATH: certs.rogueClientKey }), code: 3, message: /TEMPORAL_TLS_CLIENT_CERT_PATH/ },
    { env: mtlsEnv({ TEMPORAL_TLS_CLIENT_CERT_PATH: '', TEMPORAL_TLS_CLIENT_KEY_PATH: '' }), code: 3, message: /TEMPORAL_TLS_CLIENT_CERT_PATH/ },
    { env: mtlsEnv({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.rogueClientCert.replace('rogue-client.crt', 'rogue-ca.crt') }), code: 3, message: /TEMPORAL_TLS_SERVER_CA_CERT_PATH/ },
  ];
  for (const c of cases) {
    const result = await osiris(['run', 'examples/top-rated-movies.yaml'], { cwd: projectDir, env: c.env, timeoutMs: 30_000 }).catch((err: Error) => {
      throw new Error(`${JSON.stringify(c.env)}: ${err.message}`);
    });
    assert.equal(result.code, c.code, `${JSON.stringify(c.env)}\n${result.stdout}${result.stderr}`);
    assert.match(result.stderr, c.message);
    // "At once": the connect timeout is 5 s; a refused handshake must not wait out retries.
    assert.ok(result.ms < 20_000, `took ${result.ms} ms`);
  }
});

test('API key: every request carries it; a wrong key fails at once naming TEMPORAL_API_KEY and never shows the key', async () => {
  const env = { TEMPORAL_ADDRESS: keyed.address, TEMPORAL_API_KEY: API_KEY, TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.caCert, TEMPORAL_TLS_SERVER_NAME: certs.serverName };
  await withWorkerProcess({ cwd: projectDir, env }, async () => {
    await waitForOsirisWorkers(temporal.address);
    const run = await osiris(['run', 'examples/top-rated-movies.yaml'], { cwd: projectDir, env });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.ok(keyed.forwarded > 20, `requests through the proxy: ${keyed.forwarded}`);
    assert.equal(keyed.refused, 0, 'every request carried the API key');
  });
  const wrongKey = 'wrong-key-93ad7be1';
  const wrong = await osiris(['run', 'examples/top-rated-movies.yaml'], { cwd: projectDir, env: { ...env, TEMPORAL_API_KEY: wrongKey }, timeoutMs: 30_000 });
  assert.equal(wrong.code, 3, wrong.stdout + wrong.stderr);
  assert.match(wrong.stderr, /refused the credentials: check TEMPORAL_API_KEY/);
  assert.ok(keyed.refused > 0);
  assert.doesNotMatch(wrong.stdout + wrong.stderr, new RegExp(wrongKey));
});
