import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { test } from 'node:test';
import { loadProjectConfig } from '../../src/config/project-config.js';
import { buildConnectionOptions } from '../../src/temporal/connection-options.js';

function project(yaml: string, toml?: string): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'osiris-target-'));
  writeFileSync(path.join(dir, 'osiris.yaml'), yaml);
  const env: NodeJS.ProcessEnv = { HOME: dir };
  if (toml) {
    writeFileSync(path.join(dir, 'temporal.toml'), toml);
    env.TEMPORAL_CONFIG_FILE = path.join(dir, 'temporal.toml');
  }
  return { dir, env };
}

const TOML = `
[profile.default]
address = "default.example:7233"
namespace = "ns-default"

[profile.cloud]
address = "cloud.example:7233"
namespace = "ns-cloud"
api_key = "toml-secret-key"
`;

test('a temporal.toml profile is used unchanged; osiris.yaml wins over it and TEMPORAL_* wins over both', () => {
  const { dir, env } = project('version: 1\n', TOML);
  const fromDefault = loadProjectConfig(dir, { ...env });
  assert.equal(fromDefault.temporalAddress, 'default.example:7233');
  assert.equal(fromDefault.temporal.namespace, 'ns-default');
  assert.equal(fromDefault.embedded, false);

  const cloud = loadProjectConfig(dir, { ...env, TEMPORAL_PROFILE: 'cloud' });
  assert.equal(cloud.temporalAddress, 'cloud.example:7233');
  assert.equal(cloud.temporal.namespace, 'ns-cloud');
  const options = buildConnectionOptions(cloud.temporalTarget, cloud.temporalAddress);
  assert.equal(options.apiKey, 'toml-secret-key');
  assert.equal(options.tls, true, 'an API key turns TLS on');
  // The key never shows when the config is printed or serialised.
  assert.doesNotMatch(inspect(cloud, { depth: 10 }) + JSON.stringify(cloud), /toml-secret-key/);

  writeFileSync(path.join(dir, 'osiris.yaml'), 'temporal:\n  address: yaml.example:7233\n  namespace: ns-yaml\n  profile: cloud\n');
  const yaml = loadProjectConfig(dir, { ...env });
  assert.equal(yaml.temporalAddress, 'yaml.example:7233');
  assert.equal(yaml.temporal.namespace, 'ns-yaml');
  assert.equal(yaml.temporalTarget.apiKey?.setting, 'api_key of profile "cloud" in ' + env.TEMPORAL_CONFIG_FILE);

  const fromEnv = loadProjectConfig(dir, { ...env, TEMPORAL_ADDRESS: 'env.example:7233', TEMPORAL_NAMESPACE: 'ns-env', TEMPORAL_API_KEY: 'env-key' });
  assert.equal(fromEnv.temporalAddress, 'env.example:7233');
  assert.equal(fromEnv.temporal.namespace, 'ns-env');
  assert.equal(fromEnv.temporalTarget.apiKey?.setting, 'TEMPORAL_API_KEY');
});

test('no address anywhere means the embedded server; a missing profile or a lone client key is refused, named', () => {
  const { dir, env } = project('version: 1\n');
  const embedded = loadProjectConfig(dir, env);
  assert.equal(embedded.embedded, true);
  assert.throws(() => loadProjectConfig(dir, { ...env, TEMPORAL_PROFILE: 'nope' }), /Profile 'nope' not found/);

  writeFileSync(path.join(dir, 'osiris.yaml'), 'temporal:\n  address: x:1\n  tls:\n    client_key: client.key\n');
  const lone = loadProjectConfig(dir, env);
  assert.throws(() => buildConnectionOptions(lone.temporalTarget, lone.temporalAddress), /temporal\.tls\.client_key in osiris\.yaml is set but the client certificate is not/);
  assert.throws(() => loadProjectConfig(dir, { ...env, TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: 'true', TEMPORAL_TLS: 'true' }), /TEMPORAL_TLS_DISABLE_HOST_VERIFICATION/);
  writeFileSync(path.join(dir, 'osiris.yaml'), 'temporal:\n  api_key: abc\n');
  assert.throws(() => loadProjectConfig(dir, env), /temporal\.api_key: unknown key "api_key"/);
});
