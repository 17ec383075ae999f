import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { validateOml, type Problem, type ValidationReport } from '../../src/oml/index.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/oml/${name}`, import.meta.url), 'utf8');
}

/** Finds the one problem with this rule and checks where it is and what it says. */
function expectProblem(
  report: ValidationReport,
  expected: { rule: string; path: string; message: string; line?: number; severity?: Problem['severity'] },
): Problem {
  const matches = report.problems.filter((p) => p.rule === expected.rule);
  assert.equal(matches.length, 1, `expected one ${expected.rule} problem, got: ${JSON.stringify(report.problems, null, 1)}`);
  const problem = matches[0]!;
  assert.equal(problem.path, expected.path);
  assert.equal(problem.message, expected.message);
  assert.equal(problem.severity, expected.severity ?? 'error');
  if (expected.line !== undefined) assert.equal(problem.line, expected.line);
  assert.ok(problem.hint.length > 0, 'every problem carries a hint');
  if (problem.severity === 'error') assert.equal(report.ok, false);
  return problem;
}

/** A valid two-step pipeline; tests splice one mistake into it. Line numbers below refer to this text. */
function pipeline(extractConfig: string, writer = 'filesystem.csv_writer', writerConfig = '{ path: movies.csv }'): string {
  return [
    'oml_version: "0.1.0"', // 1
    'name: rules', // 2
    'steps:', // 3
    '  - id: extract', // 4
    '    component: sqlite.extractor', // 5
    '    mode: read', // 6
    '    config:', // 7
    ...extractConfig.split('\n').map((line) => `      ${line}`), // 8..
    '  - id: save',
    `    component: ${writer}`,
    '    mode: write',
    `    config: ${writerConfig}`,
    '',
  ].join('\n');
}
const SQLITE = 'connection: "@sqlite.demo"\ntable: movies';

describe('OML validation rules', () => {
  it('accepts the base pipeline', async () => {
    const report = await validateOml(pipeline(SQLITE));
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
    assert.equal(report.oml?.steps.length, 2);
  });

  it('yaml-syntax: reports the line of a YAML error', async () => {
    const report = await validateOml('oml_version: "0.1.0"\nname: x\nsteps:\n  - id: a\n   bad: [\n');
    assert.equal(report.ok, false);
    const problem = report.problems.find((p) => p.rule === 'yaml-syntax');
    assert.ok(problem);
    assert.equal(problem.path, '');
    assert.ok(problem.line !== undefined && problem.line >= 4, `line ${problem.line}`);
    assert.match(problem.message, /^YAML syntax error: /);
  });

  it('yaml-syntax: a duplicate key is an error', async () => {
    const report = await validateOml('oml_version: "0.1.0"\nname: a\nname: b\nsteps: []\n');
    const problem = report.problems.find((p) => p.rule === 'yaml-syntax');
    assert.equal(problem?.line, 3);
  });

  it('invalid-type: the document must be a mapping', async () => {
    const report = await validateOml('- just\n- a list\n');
    expectProblem(report, { rule: 'invalid-type', path: '', message: 'the pipeline must be a mapping, got a list', line: 1 });
    expectProblem(await validateOml('# nothing yet\n'), { rule: 'invalid-type', path: '', message: 'the pipeline is empty' });
  });

  it('invalid-type: params values and step items', async () => {
    const text = pipeline(SQLITE).replace('steps:', 'params: { n: [1] }\nsteps:\n  - 5');
    const report = await validateOml(text);
    assert.deepEqual(
      report.problems.map((p) => [p.rule, p.path, p.line, p.message]),
      [
        ['invalid-type', 'params.n', 3, 'invalid "n": expected string, number or boolean, got a list'],
        ['invalid-type', 'steps[0]', 5, 'invalid item: expected a mapping, got number'],
      ],
    );
  });

  it('missing-field: a step without mode, located at the step', async () => {
    const text = pipeline(SQLITE).replace('    mode: read\n', '');
    expectProblem(await validateOml(text), { rule: 'missing-field', path: 'steps[0].mode', message: 'missing required field "mode"', line: 4 });
  });

  it('missing-field: oml_version', async () => {
    const text = pipeline(SQLITE).replace('oml_version: "0.1.0"\n', '');
    expectProblem(await validateOml(text), { rule: 'missing-field', path: 'oml_version', message: 'missing required field "oml_version"', line: 1 });
  });

  it('invalid-type: needs must be a list of strings', async () => {
    const text = pipeline(SQLITE).replace('    mode: write\n', '    mode: write\n    needs: [extract, 3]\n');
    expectProblem(await validateOml(text), { rule: 'invalid-type', path: 'steps[1].needs[1]', message: 'invalid item: expected string, got number', line: 13 });
  });

  it('invalid-value: mode, oml_version and name', async () => {
    const text = pipeline(SQLITE).replace('    mode: read', '    mode: extract').replace('"0.1.0"', '"0.2"').replace('name: rules', 'name: Top Rated');
    const report = await validateOml(text);
    const byPath = new Map(report.problems.filter((p) => p.rule === 'invalid-value').map((p) => [p.path, p]));
    assert.equal(byPath.get('steps[0].mode')?.message, 'invalid "mode": must be one of: "read", "transform", "write"');
    assert.equal(byPath.get('steps[0].mode')?.line, 6);
    assert.equal(byPath.get('oml_version')?.message, 'invalid "oml_version": must be "0.1.0"');
    assert.equal(byPath.get('name')?.message, 'invalid "name": must use lowercase letters, digits, - and _ (starting with a letter or digit)');
    assert.equal(byPath.get('name')?.line, 2);
  });

  it('invalid-value: steps must not be empty', async () => {
    const report = await validateOml('oml_version: "0.1.0"\nname: empty\nsteps: []\n');
    expectProblem(report, { rule: 'invalid-value', path: 'steps', message: 'invalid "steps": must have at least 1 item(s)', line: 3 });
  });

  it('unknown-field: a typo in a step field suggests the right one', async () => {
    const text = pipeline(SQLITE).replace('    mode: write\n', '    mode: write\n    need: [extract]\n');
    const problem = expectProblem(await validateOml(text), { rule: 'unknown-field', path: 'steps[1].need', message: 'unknown field "need"', line: 13 });
    assert.match(problem.hint, /Did you mean "needs"\?/);
  });

  it('unknown-component: hints at close names and the components list', async () => {
    const report = await validateOml(pipeline(SQLITE, 'filesystem.csv_writr'));
    const problem = expectProblem(report, { rule: 'unknown-component', path: 'steps[1].component', message: 'unknown component "filesystem.csv_writr"', line: 11 });
    assert.match(problem.hint, /^Did you mean filesystem\.csv_writer/);
    assert.match(problem.hint, /osiris components list/);
  });

  it('unsupported-mode: a writer used as a reader', async () => {
    const text = pipeline(SQLITE).replace('    mode: write', '    mode: read');
    expectProblem(await validateOml(text), {
      rule: 'unsupported-mode',
      path: 'steps[1].mode',
      message: 'filesystem.csv_writer does not support mode "read" (it supports: write)',
      line: 12,
    });
  });

  it('unknown-config-key: strict component config', async () => {
    const problem = expectProblem(await validateOml(pipeline(`${SQLITE}\ntabel: x`)), {
      rule: 'unknown-config-key',
      path: 'steps[0].config.tabel',
      message: 'unknown config key "tabel" for sqlite.extractor',
      line: 10,
    });
    assert.match(problem.hint, /^Did you mean "table"\?/);
  });

  it('missing-config-key: a required key the component needs', async () => {
    expectProblem(await validateOml(pipeline(SQLITE, 'filesystem.csv_writer', '{ header: false }')), {
      rule: 'missing-config-key',
      path: 'steps[1].config.path',
      message: 'missing required config key "path" for filesystem.csv_writer',
      line: 13,
    });
  });

  it('invalid-config-value: wrong type and out-of-range values', async () => {
    const report = await validateOml(pipeline(`${SQLITE}\nlimit: -1`, 'filesystem.parquet_writer', '{ path: m.parquet, compression: lz4 }'));
    const byPath = new Map(report.problems.map((p) => [p.path, p]));
    assert.equal(byPath.get('steps[0].config.limit')?.rule, 'invalid-config-value');
    assert.equal(byPath.get('steps[0].config.limit')?.message, 'invalid value for "limit": must be at least 0');
    assert.equal(byPath.get('steps[0].config.limit')?.line, 10);
    assert.equal(byPath.get('steps[1].config.compression')?.message, 'invalid value for "compression": must be one of: "snappy", "zstd", "gzip", "uncompressed"');
  });

  it('duplicate-step-id: names the first use', async () => {
    const text = pipeline(SQLITE).replace('  - id: save', '  - id: extract');
    expectProblem(await validateOml(text), {
      rule: 'duplicate-step-id',
      path: 'steps[1].id',
      message: 'duplicate step id "extract" (already used by steps[0])',
      line: 10,
    });
  });

  it('unknown-need: suggests the closest step id', async () => {
    const text = pipeline(SQLITE).replace('    mode: write\n', '    mode: write\n    needs: [extrat]\n');
    const problem = expectProblem(await validateOml(text), { rule: 'unknown-need', path: 'steps[1].needs[0]', message: 'needs "extrat", which is not a step id', line: 13 });
    assert.equal(problem.hint, 'Did you mean "extract"?');
  });

  it('cyclic-needs: names the members of the cycle', async () => {
    const text = [
      'oml_version: "0.1.0"',
      'name: cycle',
      'steps:',
      '  - { id: src, component: sqlite.extractor, mode: read, config: { connection: "@sqlite.demo", table: t } }',
      '  - { id: a, component: duckdb.processor, mode: transform, needs: [src, c], config: { query: "SELECT 1" } }',
      '  - { id: b, component: duckdb.processor, mode: transform, needs: [a], config: { query: "SELECT 1" } }',
      '  - { id: c, component: duckdb.processor, mode: transform, needs: [b], config: { query: "SELECT 1" } }',
    ].join('\n');
    expectProblem(await validateOml(text), { rule: 'cyclic-needs', path: 'steps[1].needs', message: 'needs form a cycle: a -> c -> b -> a', line: 5 });
  });

  it('cyclic-needs: a step that needs itself', async () => {
    const text = pipeline(SQLITE).replace('    mode: write\n', '    mode: write\n    needs: [save]\n');
    expectProblem(await validateOml(text), { rule: 'cyclic-needs', path: 'steps[1].needs', message: 'needs form a cycle: save -> save', line: 13 });
  });

  it('missing-input: a write step that reads nothing', async () => {
    const text = pipeline(SQLITE).replace('    mode: write\n', '    mode: write\n    needs: []\n');
    expectProblem(await validateOml(text), { rule: 'missing-input', path: 'steps[1].needs', message: 'write step "save" has no input', line: 13 });
  });

  it('connection-ref-format: not @family.alias, and the value is not echoed', async () => {
    const problem = expectProblem(await validateOml(pipeline('connection: "sqlite://user:pw@host/db"\ntable: movies')), {
      rule: 'connection-ref-format',
      path: 'steps[0].config.connection',
      message: 'connection must be a reference like "@sqlite.alias"',
      line: 8,
    });
    assert.doesNotMatch(problem.message + problem.hint, /pw/);
  });

  it('connection-family-mismatch: sqlite.extractor needs @sqlite.x', async () => {
    expectProblem(await validateOml(pipeline('connection: "@mysql.demo"\ntable: movies')), {
      rule: 'connection-family-mismatch',
      path: 'steps[0].config.connection',
      message: 'sqlite.extractor needs a @sqlite connection, got "@mysql.demo"',
      line: 8,
    });
  });

  it('inline-secret: a literal password, also when nested and under an unknown component', async () => {
    const text = pipeline(SQLITE, 'custom.writer', '{ auth: { api_key: sk-123 }, token: "${API_TOKEN}", primary_key: id }');
    const report = await validateOml(text);
    expectProblem(report, { rule: 'inline-secret', path: 'steps[1].config.auth.api_key', message: '"api_key" holds a literal secret', line: 13 });
    assert.ok(!JSON.stringify(report.problems).includes('sk-123'), 'the secret is not echoed');
  });

  it('inline-secret: top-level password key', async () => {
    const report = await validateOml(pipeline(`${SQLITE}\npassword: hunter2`));
    expectProblem(report, { rule: 'inline-secret', path: 'steps[0].config.password', message: '"password" holds a literal secret', line: 10 });
  });

  it('missing-primary-key: upsert without primary_key', async () => {
    const report = await validateOml(pipeline(SQLITE, 'sqlite.writer', '{ connection: "@sqlite.out", table: top, write_mode: upsert }'));
    expectProblem(report, { rule: 'missing-primary-key', path: 'steps[1].config.write_mode', message: 'write_mode "upsert" needs primary_key', line: 13 });
    const fixed = await validateOml(pipeline(SQLITE, 'sqlite.writer', '{ connection: "@sqlite.out", table: top, write_mode: replace, primary_key: [id] }'));
    assert.equal(fixed.ok, true, JSON.stringify(fixed.problems));
  });

  for (const [path, reason] of [
    ['../escape.csv', 'the path climbs out of the output directory with ..'],
    ['/etc/passwd.csv', 'the path is absolute'],
    ['~/x.csv', 'a path starting with ~ points into a home directory'],
  ] as const) {
    it(`output-path-escape: ${path}`, async () => {
      expectProblem(await validateOml(pipeline(SQLITE, 'filesystem.csv_writer', `{ path: "${path}" }`)), {
        rule: 'output-path-escape',
        path: 'steps[1].config.path',
        message: `output path "${path}" leaves the output directory: ${reason}`,
        line: 13,
      });
    });
  }

  it('transform-sql: the injected checker sees substituted SQL and its verdict becomes a problem', async () => {
    const text = [
      'oml_version: "0.1.0"',
      'name: sql',
      'params: { table: df_extract }',
      'steps:',
      '  - { id: extract, component: sqlite.extractor, mode: read, config: { connection: "@sqlite.demo", table: t } }',
      '  - id: clean',
      '    component: duckdb.processor',
      '    mode: transform',
      '    config:',
      '      query: "DELETE FROM ${params.table}"',
    ].join('\n');
    const seen: string[] = [];
    const checkTransformSql = async (sql: string) => {
      seen.push(sql);
      return sql.startsWith('SELECT') ? ({ ok: true } as const) : ({ ok: false, reason: 'DELETE is not a read-only query', hint: 'Use one SELECT.' } as const);
    };
    const report = await validateOml(text, { checkTransformSql });
    // A string param in SQL is a quoted literal, never SQL text.
    assert.deepEqual(seen, ["DELETE FROM 'df_extract'"]);
    const problem = expectProblem(report, { rule: 'transform-sql', path: 'steps[1].config.query', message: 'transform SQL refused: DELETE is not a read-only query', line: 10 });
    assert.equal(problem.hint, 'Use one SELECT.');
    assert.equal((await validateOml(text)).ok, true, 'without a checker the rule is skipped');
  });

  it('unknown-param: a reference to an undeclared param', async () => {
    const report = await validateOml(pipeline('connection: "@sqlite.demo"\ntable: movies\nwhere: "rating > ${params.min_rating}"'));
    expectProblem(report, { rule: 'unknown-param', path: 'steps[0].config.where', message: 'unknown param "min_rating" in ${params.min_rating}', line: 10 });
  });

  it('undeclared-param: an override the pipeline does not declare is a warning', async () => {
    const report = await validateOml(pipeline(SQLITE), { params: { min_ratng: 9 } });
    assert.equal(report.ok, true);
    expectProblem(report, { rule: 'undeclared-param', path: 'params', message: 'param "min_ratng" is set but not declared in the pipeline', severity: 'warning' });
  });

  it('reports all five problems of a file at once, in line order', async () => {
    const report = await validateOml(fixture('five-problems.yaml'), { file: 'five-problems.yaml' });
    assert.equal(report.ok, false);
    assert.equal(report.file, 'five-problems.yaml');
    assert.deepEqual(
      report.problems.map((p) => [p.rule, p.path, p.line]),
      [
        ['connection-family-mismatch', 'steps[0].config.connection', 8],
        ['duplicate-step-id', 'steps[1].id', 9],
        ['unknown-param', 'steps[1].config.query', 12],
        ['unknown-component', 'steps[2].component', 14],
        ['missing-primary-key', 'steps[3].config.write_mode', 21],
      ],
    );
  });
});
