import assert from 'node:assert/strict';
import { it } from 'node:test';
import { componentSpecs, families } from '../../src/connectors/families.js';

it('every component spec has an implementation, and every implementation a spec', async () => {
  const implemented = (await Promise.all(families.map(async (f) => Object.keys((await f.load()).steps)))).flat();
  assert.deepEqual(implemented.sort(), [...componentSpecs.keys()].sort());
});

it('each component belongs to the family its spec names', () => {
  for (const family of families) for (const spec of family.components) assert.equal(spec.family ?? family.name, family.name, spec.name);
});
