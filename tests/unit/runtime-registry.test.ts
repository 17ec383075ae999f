import assert from 'node:assert/strict';
import { it } from 'node:test';
import { implementations } from '../../src/connectors/registry.js';
import { componentSpecs } from '../../src/connectors/specs.js';

it('every component spec has an implementation, and every implementation a spec', () => {
  assert.deepEqual([...implementations.keys()].sort(), [...componentSpecs.keys()].sort());
});
