import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileOml, parseParamArgs, validateOml, type Problem, type ValidationReport } from '../../src/oml/index.js';
import { parseYaml } from '../../src/oml/parse.js';
import { decodeSourceText } from '../../src/oml/source-text.js';

/** The one problem with `rule`, checked for where it is. */
function only(report: ValidationReport, rule: string, where?: { path?: string; line?: number }): Problem {
  const found = report.problems.filter((p) => p.rule === rule);
  assert.equal(found.length, 1, `expected one ${rule}, got ${JSON.stringify(report.problems, null, 1)}`);
  const problem = found[0]!;
  if (where?.path !== undefined) assert.equal(problem.path, where.path);
  if (where?.line !== undefined) assert.equal(problem.line, where.line);
  assert.ok(problem.hint.length > 0);
  return problem;
}

const head = ['oml_version: "0.1.0"', 'name: hardening'];
const extract = (id = 'extract', config = '{ connection: "@sqlite.demo", table: movies }') => [`  - id: ${id}`, '    component: sqlite.extractor', '    mode: read', `    config: ${config}`];
const save = (needs?: string) => ['  - id: save', '    component: filesystem.csv_writer', '    mode: write', ...(needs ? [`    needs: ${needs}`] : []), '    config: { path: out.csv }'];
const doc = (...lines: string[][]) => [...head, 'steps:', ...lines.flat()].join('\n');

describe('step ids, inputs and sizes', () => {
  it('a-b and a_b would share table df_a_b: an error naming both steps', async () => {
    const report = await validateOml(doc(extract('a-b'), extract('a_b'), save('[a-b]')));
    const problem = only(report, 'step-table-collision', { path: 'steps[1].id', line: 8 });
    assert.equal(problem.message, 'steps "a-b" (steps[0]) and "a_b" would both write table df_a_b');
  });

  it('ids: at most 100 characters of letters, digits, - and _', async () => {
    assert.match(only(await validateOml(doc(extract('e'.repeat(101)), save())), 'step-id-format').message, /101 characters long \(at most 100\)/);
    assert.match(only(await validateOml(doc(extract('"x; DROP TABLE y"'), save())), 'step-id-format', { line: 4 }).message, /may only use letters, digits, - and _/);
  });

  it('pipeline names: at most 100 characters', async () => {
    const report = await validateOml(doc(extract(), save()).replace('name: hardening', `name: ${'n'.repeat(101)}`));
    assert.match(only(report, 'invalid-value', { path: 'name', line: 2 }).message, /at most 100/);
  });

  it('a writer with two inputs', async () => {
    const report = await validateOml(doc(extract('a'), extract('b'), save('[a, b]')));
    assert.match(only(report, 'writer-inputs', { path: 'steps[2].needs' }).message, /needs 2 steps \(a, b\); a writer writes one table/);
  });

  it('an extractor reads a query or a table: both, neither, or table options with a query', async () => {
    only(await validateOml(doc(extract('e', '{ connection: "@sqlite.demo", table: movies, query: "SELECT 1" }'), save())), 'query-or-table', { path: 'steps[0].config.query' });
    assert.match(only(await validateOml(doc(extract('e', '{ connection: "@sqlite.demo" }'), save())), 'query-or-table', { path: 'steps[0].config' }).message, /needs query: or table:/);
    only(await validateOml(doc(extract('e', '{ connection: "@sqlite.demo", query: "SELECT 1", limit: 5 }'), save())), 'query-or-table', { path: 'steps[0].config.limit' });
  });

  it('a 10 MB comment fails at once with the size, not at workflow start', async () => {
    const text = `${doc(extract(), save())}\n# ${'x'.repeat(10 * 1024 * 1024)}\n`;
    const started = performance.now();
    const report = await validateOml(text);
    const ms = performance.now() - started;
    assert.match(only(report, 'pipeline-too-large').message, /the pipeline is 10\.0 MiB; at most 512 KiB fits in a Temporal workflow input/);
    await assert.rejects(compileOml(text), /pipeline-too-large/);
    // Relative, not absolute: refusing costs less than parsing a pipeline one hundredth of the size.
    const small = `${doc(extract(), save())}\n# ${'x'.repeat(100 * 1024)}\n`;
    const t0 = performance.now();
    await validateOml(small);
    assert.ok(ms < (performance.now() - t0) * 20 + 50, `refusing took ${ms} ms`);
  });
});

describe('project checks are reported as located problems', () => {
  it('an input path the checker refuses', async () => {
    const text = doc(['  - id: load', '    component: filesystem.csv_extractor', '    mode: read', '    config: { path: /etc/passwd }'], save());
    const report = await validateOml(text, { checkInputPath: async (p) => ({ ok: false, reason: `${p} is outside`, hint: 'Stay inside.' }) });
    assert.equal(only(report, 'input-path-refused', { path: 'steps[0].config.path', line: 7 }).message, 'input path "/etc/passwd" is refused: /etc/passwd is outside');
    assert.equal((await validateOml(text)).ok, true, 'without the checker the rule is skipped');
  });

  it('an unknown connection alias and a missing ${ENV} of a connection', async () => {
    const report = await validateOml(doc(extract('e', '{ connection: "@sqlite.nowhere", table: movies }'), save()), {
      checkConnection: (ref) => ({ severity: 'error', rule: 'unknown-connection', message: `${ref} is not defined`, hint: 'Define it.' }),
    });
    only(report, 'unknown-connection', { path: 'steps[0].config.connection', line: 7 });
  });
});

describe('typed params', () => {
  const sqlDoc = [...head, 'params: { min_rating: 8, title: "Heat" }', 'steps:', ...extract(), '  - id: top', '    component: duckdb.processor', '    mode: transform', '    config:', '      query: "SELECT * FROM df_extract WHERE rating > ${params.min_rating} AND title <> ${params.title}"', ...save('[top]')].join('\n');

  it("--param min_rating='8 OR 1=1' is refused: the param is a number", async () => {
    const report = await validateOml(sqlDoc, { params: parseParamArgs(['min_rating=8 OR 1=1']) });
    assert.equal(only(report, 'param-type', { path: 'params.min_rating', line: 3 }).message, 'param "min_rating" is a number (default 8), but the value given is the text "8 OR 1=1"');
  });

  it('string params become quoted, escaped SQL literals; numbers stay numbers', async () => {
    const compiled = await compileOml(sqlDoc, { params: parseParamArgs(['min_rating=7.5', "title=x' OR '1'='1"]) });
    assert.equal(compiled.manifest.steps.find((s) => s.id === 'top')?.config.query, "SELECT * FROM df_extract WHERE rating > 7.5 AND title <> 'x'' OR ''1''=''1'");
  });

  it('a param written inside quotes in SQL is refused', async () => {
    const report = await validateOml(sqlDoc.replace('<> ${params.title}', "<> '${params.title}'"));
    only(report, 'quoted-param', { path: 'steps[1].config.query' });
  });
});

describe('YAML edge cases, in the user\'s terms and located', () => {
  const lol = ['a: &a [x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 9; i++) {
    const p = String.fromCharCode(96 + i);
    lol.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${p}, *${p}, *${p}, *${p}, *${p}, *${p}, *${p}, *${p}, *${p}]`);
  }

  it('an alias bomb is refused at its first alias', () => {
    const [problem] = parseYaml(`${lol.join('\n')}\n`).problems;
    assert.equal(problem?.rule, 'yaml-aliases');
    assert.equal(problem?.line, 2);
  });

  it('a second document, deep nesting, huge integers and unknown tags', () => {
    assert.match(parseYaml('a: 1\n---\nb: 2\n').problems[0]!.message, /more than one YAML document/);
    const deep = parseYaml(`a: ${'['.repeat(100)}${']'.repeat(100)}\n`).problems[0]!;
    assert.equal(deep.rule, 'yaml-depth');
    const huge = parseYaml('a: 1\nb: 123456789012345678901234567890\n').problems[0]!;
    assert.deepEqual([huge.rule, huge.line, huge.column], ['yaml-number', 2, 4]);
    assert.equal(parseYaml('steps: !pipeline []\n').problems[0]!.rule, 'yaml-tag');
  });

  it('UTF-16, NUL bytes and Latin-1 are named, with a position', () => {
    const utf16 = decodeSourceText(Buffer.from('\ufeffa: 1\n', 'utf16le'));
    assert.ok('problem' in utf16 && /UTF-16 \(little-endian\)/.test(utf16.problem.message));
    const latin1 = decodeSourceText(Buffer.from('a: 1\nname: caf\xe9\n', 'latin1'));
    assert.ok('problem' in latin1);
    assert.deepEqual([latin1.problem.line, latin1.problem.column], [2, 10]);
    const bom = decodeSourceText(Buffer.from('\ufeffa: 1\n', 'utf8'));
    assert.deepEqual(bom, { text: 'a: 1\n' });
  });

  it('an empty pipeline points at 1:1', async () => {
    const problem = only(await validateOml('# nothing\n'), 'invalid-type');
    assert.deepEqual([problem.line, problem.column], [1, 1]);
  });
});
