import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { osiris, repoRoot } from '../support/cli.js';
import { makeProject } from '../support/project.js';

const demoSuite = path.join(repoRoot, 'evals', 'demo-suite.yaml');

describe('osiris eval with the default (offline) provider', () => {
  test('--min-accuracy: exit 0 at or above the threshold, 1 below it, with the accuracy named', async () => {
    const cwd = makeProject();
    const passing = await osiris(['eval', demoSuite, '--only', 'all-directors-csv', '--min-accuracy', '1'], { cwd });
    assert.equal(passing.code, 0, passing.stdout + passing.stderr);
    assert.match(passing.stdout, /execution accuracy 100\.0% \(1\/1/);

    // A task whose reference rows the planner cannot produce (none match): 1/2 is under 0.9.
    const suite = path.join(cwd, 'half-suite.yaml');
    writeFileSync(
      suite,
      stringify({
        version: 1,
        name: 'half-suite',
        connection: '@sqlite.demo',
        tasks: [
          { id: 'directors', difficulty: 'easy', prompt: 'Export every director (name, birth year, nationality) to a CSV file.', reference_sql: 'SELECT name, birth_year, nationality FROM directors' },
          { id: 'unreachable', difficulty: 'easy', prompt: 'Export every director (name, birth year, nationality) to a CSV file.', reference_sql: 'SELECT name FROM directors WHERE 1 = 0' },
        ],
      }),
    );
    const failing = await osiris(['eval', suite, '--min-accuracy', '0.9'], { cwd });
    assert.equal(failing.code, 1, failing.stdout + failing.stderr);
    assert.match(failing.stderr, /accuracy 50\.0% is below --min-accuracy 90\.0%/);
  });

  test('--min-accuracy outside 0..1 is refused before anything runs', async () => {
    const result = await osiris(['eval', demoSuite, '--min-accuracy', '90'], { cwd: makeProject() });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /"90" is not a fraction from 0 to 1/);
  });
});
