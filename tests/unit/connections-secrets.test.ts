import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createConnectionResolver, listConnections } from '../../src/connections/resolver.js';
import { maskDeep, maskError, maskSecrets } from '../../src/connections/secrets.js';
import { OsirisError } from '../../src/errors.js';
import { makeProject } from '../support/project.js';

const CONNECTIONS = `
version: 1
connections:
  postgres:
    warehouse:
      url: postgresql://etl:s3cr%40tPw@db.example.com:5432/warehouse
  mysql:
    shop:
      host: db.example.com
      password: \${SHOP_PASSWORD}
`;

describe('secret masking', () => {
  it('connections list masks a password inside a URL, keeps ${ENV} references as written', () => {
    const project = makeProject({ 'osiris_connections.yaml': CONNECTIONS });
    const listing = listConnections({ projectDir: project });
    const warehouse = listing.find((c) => c.reference === '@postgres.warehouse')!;
    assert.equal(warehouse.display.url, 'postgresql://etl:***@db.example.com:5432/warehouse');
    assert.equal(listing.find((c) => c.reference === '@mysql.shop')!.display.password, '${SHOP_PASSWORD}');
    assert.doesNotMatch(JSON.stringify(listing), /s3cr/);
  });

  it('a resolved connection lists the password of its URL as a secret, decoded and as written', async () => {
    const project = makeProject({ 'osiris_connections.yaml': CONNECTIONS });
    const resolved = await createConnectionResolver({ projectDir: project, stateDir: path.join(project, '.osiris') })('@postgres.warehouse');
    assert.ok(resolved.secrets?.includes('s3cr@tPw'));
    assert.ok(resolved.secrets?.includes('s3cr%40tPw'));
  });

  it('a connection key the family knows is checked when the connection is resolved', async () => {
    const project = makeProject({ 'osiris_connections.yaml': 'connections:\n  mysql:\n    broken:\n      port: 3306\n' });
    const resolve = createConnectionResolver({ projectDir: project, stateDir: path.join(project, '.osiris') });
    await assert.rejects(resolve('@mysql.broken'), (err: OsirisError) => err.code === 'CONFIG_INVALID' && /@mysql\.broken.*host/.test(err.message) && /host, port/.test(err.hint));
  });

  it('maskSecrets hides listed secrets (longest first) and any URL password, in text, JSON values and errors', () => {
    assert.equal(maskSecrets('login abcd1234 / abcd failed', ['abcd', 'abcd1234']), 'login *** / *** failed');
    assert.equal(maskSecrets('connect mysql://root:pw@10.0.0.1/x refused', []), 'connect mysql://root:***@10.0.0.1/x refused');
    assert.deepEqual(maskDeep({ a: ['key=tok123'], n: 5 }, ['tok123']), { a: ['key=***'], n: 5 });
    const masked = maskError(new OsirisError('CONNECTION_FAILED', 'bad tok123', { hint: 'check tok123' }), ['tok123']) as OsirisError;
    assert.equal(masked.message, 'bad ***');
    assert.equal(masked.hint, 'check ***');
    assert.equal(masked.code, 'CONNECTION_FAILED');
  });
});
