import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { osiris, repoRoot } from '../support/cli.js';
import { makeProject } from '../support/project.js';

const demoSuite = path.join(repoRoot, 'evals', 'demo-suite.yaml');

describe('osiris eval with the default (offline) provider', () => {
  test('--min-accuracy: exit 0 at or above the threshold, 1 below it, with the accuracy named', async () => {
    const cwd = makeProject();
    const passing = await osiris(['eval', demoSuite, '--only', 'all-directors-csv', '--min-accuracy', '1'], { cwd });
    assert.equal(passing.code, 0, passing.stdout + passing.stderr);
    assert.match(passing.stdout, /execution accuracy 100\.0% \(1\/1/);

    // Pair-of-actors self-joins are beyond the offline planner: this task fails, so 1/2 is under 0.9.
    const failing = await osiris(['eval', demoSuite, '--only', 'all-directors-csv', '--only', 'actors-sharing-movies-parquet', '--min-accuracy', '0.9'], { cwd });
    assert.equal(failing.code, 1, failing.stdout + failing.stderr);
    assert.match(failing.stderr, /accuracy 50\.0% is below --min-accuracy 90\.0%/);
  });

  test('--min-accuracy outside 0..1 is refused before anything runs', async () => {
    const result = await osiris(['eval', demoSuite, '--min-accuracy', '90'], { cwd: makeProject() });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /"90" is not a fraction from 0 to 1/);
  });
});
