import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { osiris } from '../support/cli.js';
import { maybeRecordHistory } from '../support/histories.js';
import { startTestMariadb, type TestMariadb } from '../support/mariadb.js';
import { bareEnv, connectStdio, startWorkerProcess, toolError, waitForPollers, type McpSession } from '../support/mcp.js';
import { makeProject, writeProjectFiles } from '../support/project.js';
import { readRows } from '../support/read-output.js';
import { endlessPipeline } from '../support/slow-pipeline.js';
import { startTestTemporal, type TestTemporal } from '../support/temporal.js';

/**
 * The built `osiris mcp` driven by the MCP SDK's own Client over stdio. Workers run as a separate
 * `osiris worker` process holding the database password; the MCP process's environment has none,
 * and nothing it says (replies, log) may contain it.
 */
let temporal: TestTemporal;
let mariadb: TestMariadb;
let projectDir: string;
let worker: ReturnType<typeof startWorkerProcess>;
let mcp: McpSession;

const TOOLS = ['approve', 'chat', 'compile', 'components_list', 'connections_list', 'connections_test', 'discover', 'oml_schema', 'reject', 'run', 'run_cancel', 'run_report', 'run_status', 'runs_list', 'search_data', 'validate'];

const PIPELINE = [
  'oml_version: "0.1.0"',
  'name: lyon-customers',
  'steps:',
  '  - id: extract-customers',
  '    component: mysql.extractor',
  '    mode: read',
  '    config:',
  '      connection: "@mysql.shop"',
  "      query: SELECT id, full_name FROM customers WHERE city = 'Lyon'",
  '  - id: save',
  '    component: filesystem.csv_writer',
  '    mode: write',
  '    needs: [extract-customers]',
  '    config:',
  '      path: lyon.csv',
  '',
].join('\n');

before(async () => {
  [temporal, mariadb] = await Promise.all([startTestTemporal(), startTestMariadb()]);
  await mariadb.query(
    "CREATE DATABASE shop; CREATE TABLE shop.customers (id INT PRIMARY KEY, full_name VARCHAR(80), city VARCHAR(40)); INSERT INTO shop.customers VALUES (1, 'Ana Ruiz', 'Lyon'), (2, 'Bo Chen', 'Oslo'), (3, 'Cy Diallo', 'Lyon'), (4, 'Dee Park', 'Lyon')",
  );
  projectDir = makeProject();
  // @postgres.legacy holds the same password literally, inside a URL (a key not named like a secret).
  const connections = { mysql: { shop: { ...mariadb.values('shop'), password: '${SHOP_DB_PASSWORD}' } }, postgres: { legacy: { url: `postgres://app:${mariadb.password}@127.0.0.1:1/legacy` } } };
  writeProjectFiles(projectDir, { 'osiris_connections.yaml': stringify({ connections }) });
  worker = startWorkerProcess(projectDir, bareEnv({ TEMPORAL_ADDRESS: temporal.address, SHOP_DB_PASSWORD: mariadb.password }));
  await waitForPollers(temporal.address, ['osiris-control', 'osiris-exec-local']);
  const spawned = performance.now();
  mcp = await connectStdio(projectDir, bareEnv({ TEMPORAL_ADDRESS: temporal.address }), ['--ui-url', `http://127.0.0.1:${temporal.uiPort}`]);
  process.stderr.write(`# osiris mcp started and initialized over stdio in ${Math.round(performance.now() - spawned)} ms\n`);
});

after(async () => {
  await mcp?.close();
  worker?.child.kill('SIGTERM');
  if (worker && worker.child.exitCode === null) await new Promise((r) => worker.child.once('exit', r));
  await Promise.all([temporal?.stop(), mariadb?.stop()]);
});

describe('osiris mcp over stdio', () => {
  it('lists its tools with JSON Schemas for input and output and one-line descriptions', async () => {
    const { tools } = await mcp.client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), TOOLS);
    for (const tool of tools) {
      assert.equal(tool.inputSchema.type, 'object', tool.name);
      assert.equal(tool.outputSchema?.type, 'object', tool.name);
      assert.ok(tool.description && !tool.description.includes('\n') && tool.description.length < 220, tool.name);
    }
    const run = tools.find((t) => t.name === 'run')!;
    assert.deepEqual([...(run.inputSchema.required ?? [])].sort(), ['fingerprint', 'oml']);
    assert.equal((run.inputSchema.properties as Record<string, { pattern?: string }>).fingerprint?.pattern, '^[0-9a-f]{64}$');
    const { resourceTemplates } = await mcp.client.listResourceTemplates();
    assert.deepEqual(resourceTemplates.map((r) => r.uriTemplate).sort(), ['osiris://components/{name}', 'osiris://runs/{id}/report', 'osiris://sessions/{id}/transcript']);
    const { prompts } = await mcp.client.listPrompts();
    assert.deepEqual(prompts.map((p) => p.name), ['build_pipeline']);
  });

  it('discovers, validates (findings with locations), compiles, refuses a wrong fingerprint, runs, reports', async () => {
    const started = performance.now();
    const connections = await mcp.call('connections_list');
    const shop = (connections.structuredContent!.connections as { reference: string; display: Record<string, string> }[]).find((c) => c.reference === '@mysql.shop');
    assert.equal(shop?.display.password, '${SHOP_DB_PASSWORD}');
    const legacy = (connections.structuredContent!.connections as { reference: string; display: Record<string, string> }[]).find((c) => c.reference === '@postgres.legacy');
    assert.equal(legacy?.display.url, 'postgres://app:***@127.0.0.1:1/legacy');
    const unreachable = await mcp.call('connections_test', { refs: ['@postgres.legacy'] });
    assert.equal((unreachable.structuredContent!.checks as { ok: boolean }[])[0]?.ok, false, JSON.stringify(unreachable));

    const tested = await mcp.call('connections_test', { refs: ['@mysql.shop'] });
    assert.equal((tested.structuredContent!.checks as { ok: boolean }[])[0]?.ok, true, JSON.stringify(tested));

    const tables = await mcp.call('discover', { connection: '@mysql.shop' });
    assert.deepEqual((tables.structuredContent!.tables as { name: string }[]).map((t) => t.name), ['customers']);
    const table = await mcp.call('discover', { connection: '@mysql.shop', table: 'customers', sample: 2 });
    assert.deepEqual((table.structuredContent!.columns as { name: string }[]).map((c) => c.name), ['id', 'full_name', 'city']);
    assert.deepEqual(table.structuredContent!.primaryKey, ['id']);
    assert.equal((table.structuredContent!.sample as { rows: unknown[] }).rows.length, 2);
    const search = await mcp.call('search_data', { connection: '@mysql.shop', term: 'diallo' });
    assert.equal((search.structuredContent!.hits as { row: { full_name: string } }[])[0]?.row.full_name, 'Cy Diallo');

    const broken = PIPELINE.replace('component: mysql.extractor', 'component: mysql.extractr').replace('    needs: [extract-customers]\n', '    needs: [extract-custmers]\n');
    const invalid = await mcp.call('validate', { oml: broken });
    assert.equal(invalid.structuredContent!.valid, false);
    const findings = invalid.structuredContent!.findings as { rule: string; path: string; line?: number; column?: number; fix: string }[];
    const component = findings.find((f) => f.path === 'steps[0].component');
    assert.equal(component?.line, 5);
    assert.ok(component.column! > 0 && component.fix.includes('mysql.extractor'), JSON.stringify(component));
    const needs = findings.find((f) => f.path.startsWith('steps[1].needs'));
    assert.equal(needs?.line, 13, JSON.stringify(findings));
    assert.ok(findings.every((f) => f.rule && f.fix), JSON.stringify(findings));
    assert.equal((await mcp.call('validate', { oml: PIPELINE })).structuredContent!.valid, true);

    const compiled = await mcp.call('compile', { oml: PIPELINE });
    const fingerprint = compiled.structuredContent!.fingerprint as string;
    assert.match(fingerprint, /^[0-9a-f]{64}$/);
    assert.deepEqual(compiled.structuredContent!.levels, [['extract-customers'], ['save']]);
    const compileBroken = await mcp.call('compile', { oml: broken });
    assert.equal(compileBroken.isError, true);
    assert.equal(toolError(compileBroken).code, 'OML_INVALID');

    const edited = PIPELINE.replace("'Lyon'", "'Oslo'");
    const refused = await mcp.call('run', { oml: edited, fingerprint });
    assert.equal(refused.isError, true);
    assert.equal(toolError(refused).code, 'FINGERPRINT_MISMATCH');
    assert.match(toolError(refused).fix, /compile/);

    const run = await mcp.call('run', { oml: PIPELINE, fingerprint });
    const runId = run.structuredContent!.runId as string;
    assert.match(runId, /^osiris-run-lyon-customers-/);
    assert.equal(run.structuredContent!.webUi, `http://127.0.0.1:${temporal.uiPort}/namespaces/default/workflows/${runId}`);
    let status = await mcp.call('run_status', { runId });
    for (let i = 0; i < 300 && status.structuredContent!.workflowStatus === 'RUNNING'; i++) {
      assert.notEqual(status.structuredContent!.status, 'failed', JSON.stringify(status));
      await sleep(100);
      status = await mcp.call('run_status', { runId });
    }
    assert.equal(status.structuredContent!.workflowStatus, 'COMPLETED');
    assert.deepEqual((status.structuredContent!.steps as { id: string; rows: number }[]).map((s) => [s.id, s.rows]), [['extract-customers', 3], ['save', 3]]);

    const report = await mcp.call('run_report', { runId });
    const explained = report.structuredContent as { status: string; steps: { id: string; rows: number; attempts: number }[]; oml: string };
    assert.equal(explained.status, 'completed');
    assert.deepEqual(explained.steps.map((s) => [s.id, s.rows, s.attempts]), [['extract-customers', 3, 1], ['save', 3, 1]]);
    assert.equal(explained.oml, PIPELINE);
    const resource = await mcp.client.readResource({ uri: `osiris://runs/${runId}/report` });
    mcp.replies.push(JSON.stringify(resource));
    assert.deepEqual(JSON.parse((resource.contents[0] as { text: string }).text), explained);

    const firstFlowMs = Math.round(performance.now() - started);
    const rows = await readRows(path.join(projectDir, 'output', 'lyon.csv'), 'id');
    assert.deepEqual(rows.map((r) => [Number(r.id), r.full_name]), [[1, 'Ana Ruiz'], [3, 'Cy Diallo'], [4, 'Dee Park']]);

    // A second run with wait: the report compares it with the first.
    const again = await mcp.call('run', { oml: PIPELINE, fingerprint, wait: true });
    assert.equal(again.structuredContent!.status, 'completed', JSON.stringify(again));
    assert.equal(again.structuredContent!.rowsWritten, 3);
    const second = (await mcp.call('run_report', { runId: again.structuredContent!.runId as string })).structuredContent as { previous?: { run: string; rowsWrittenChange: number } };
    assert.equal(second.previous?.run, runId);
    assert.equal(second.previous?.rowsWrittenChange, 0);
    const listed = await mcp.call('runs_list', { pipeline: 'lyon-customers' });
    assert.deepEqual(new Set((listed.structuredContent!.runs as { runId: string }[]).map((r) => r.runId)), new Set([runId, again.structuredContent!.runId]));
    process.stderr.write(`# MCP flow connections -> discover -> search -> validate -> compile -> run -> status (polled) -> report: ${firstFlowMs} ms; with a second run (wait) and runs_list: ${Math.round(performance.now() - started)} ms\n`);

    const cli = await osiris(['logs', 'explain', runId, '--json'], { cwd: projectDir, env: { SHOP_DB_PASSWORD: mariadb.password } });
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(JSON.parse(cli.stdout), explained);
  });

  it('chats with a durable session and approves its pipeline as the MCP client', async () => {
    const chat = await mcp.call('chat', { message: 'FAST: export table movies to csv' });
    const session = chat.structuredContent!.session as string;
    const pipeline = chat.structuredContent!.pipeline as { fingerprint: string; oml: string } | undefined;
    assert.ok(pipeline, JSON.stringify(chat));
    const approved = await mcp.call('approve', { session, fingerprint: pipeline.fingerprint, wait: true });
    const run = approved.structuredContent!.run as { status: string; approvedBy: string; rowsWritten: number; outputs: string[] };
    assert.equal(run.approvedBy, 'osiris-mcp-test');
    assert.equal(run.status, 'completed', JSON.stringify(approved));
    assert.ok(existsSync(run.outputs[0]!));
    assert.equal((await readRows(run.outputs[0]!)).length, run.rowsWritten);
    const again = await mcp.call('approve', { session });
    assert.equal(toolError(again).code, 'NOTHING_PENDING');
    const proposed = await mcp.call('chat', { session, message: 'FAST: export table directors to json' });
    assert.ok(proposed.structuredContent!.pipeline, JSON.stringify(proposed));
    const rejected = await mcp.call('reject', { session, reason: 'only directors born after 1970' });
    assert.equal(rejected.structuredContent!.status, 'awaiting_input', JSON.stringify(rejected));
    assert.equal(toolError(await mcp.call('reject', { session, reason: 'again' })).code, 'NOTHING_PENDING');
    const transcript = await mcp.client.readResource({ uri: `osiris://sessions/${session}/transcript` });
    mcp.replies.push(JSON.stringify(transcript));
    assert.match((transcript.contents[0] as { text: string }).text, /osiris-mcp-test approved/);
    assert.match((transcript.contents[0] as { text: string }).text, /osiris-mcp-test rejected directors.*: only directors born after 1970/);
    assert.equal(toolError(await mcp.call('chat', { session, message: 'x'.repeat(5000) })).code, 'INVALID_ARGUMENTS');
    assert.equal(toolError(await mcp.call('chat', { session: 's-does-not-exist', message: 'hello' })).code, 'CONFIG_INVALID');
  });

  it('cancels a slow run', async () => {
    const oml = endlessPipeline('mcp-endless');
    const { fingerprint } = (await mcp.call('compile', { oml })).structuredContent as { fingerprint: string };
    const runId = (await mcp.call('run', { oml, fingerprint })).structuredContent!.runId as string;
    for (let i = 0; i < 300; i++) {
      const status = await mcp.call('run_status', { runId });
      if ((status.structuredContent!.steps as { status: string }[])[0]?.status === 'running') break;
      await sleep(100);
    }
    const cancelled = await mcp.call('run_cancel', { runId });
    assert.equal(cancelled.structuredContent!.workflowStatus, 'CANCELLED', JSON.stringify(cancelled));
    assert.equal(cancelled.structuredContent!.status, 'cancelled');
    assert.equal(toolError(await mcp.call('run_cancel', { runId })).code, 'RUN_FINISHED');
  });

  it('answers bad input with tool errors (code, message, fix) and keeps serving', async () => {
    const unknown = await mcp.call('drop_database', {});
    assert.equal(unknown.isError, true);
    assert.equal(toolError(unknown).code, 'UNKNOWN_TOOL');
    assert.match(toolError(unknown).fix, /discover/);

    const wrongType = await mcp.call('discover', { connection: '@mysql.shop', table: 'customers', sample: 'ten' });
    assert.equal(toolError(wrongType).code, 'INVALID_ARGUMENTS');
    assert.match(toolError(wrongType).message, /sample/);
    const extra = await mcp.call('compile', { oml: PIPELINE, shell: 'rm -rf /' });
    assert.match(toolError(extra).message, /shell/);

    const huge = await mcp.call('validate', { oml: 'x'.repeat(1_000_000) });
    assert.equal(toolError(huge).code, 'INVALID_ARGUMENTS');
    assert.ok(JSON.stringify(huge).length < 5000, 'the refusal does not echo the argument');
    const hugeList = await mcp.call('connections_test', { refs: Array.from({ length: 10_000 }, (_v, i) => `@mysql.a${i}`) });
    assert.equal(toolError(hugeList).code, 'INVALID_ARGUMENTS');

    const missingRun = await mcp.call('run_report', { runId: 'osiris-run-nothing-here' });
    assert.equal(toolError(missingRun).code, 'INPUT_MISSING');
    assert.doesNotMatch(JSON.stringify(missingRun), /\n\s+at /, 'no stack trace');

    for (const uri of ['osiris://runs/..%2F..%2F..%2Fetc%2Fpasswd/report', 'osiris://components/..%2F..%2Fpackage.json', 'osiris://sessions/..%2Fx/transcript']) {
      await assert.rejects(mcp.client.readResource({ uri }), (err: Error) => /INVALID_URI/.test(err.message) && /fix:/.test(err.message), uri);
    }
    await assert.rejects(mcp.client.readResource({ uri: 'osiris://components/nope.nothing' }), /NOT_FOUND: No component "nope.nothing"/);
    const component = await mcp.client.readResource({ uri: 'osiris://components/mysql.extractor' });
    assert.match((component.contents[0] as { text: string }).text, /"connection"/);

    const schema = await mcp.call('oml_schema');
    assert.deepEqual((schema.structuredContent!.schema as { required: string[] }).required.sort(), ['name', 'oml_version', 'steps']);
    assert.ok((await mcp.call('components_list')).structuredContent);
  });

  it('never lets a connection secret into a reply or its log', async () => {
    const log = mcp.stderr();
    assert.match(log, /tool run ok/);
    // The secret was used: the worker read from MariaDB with it.
    assert.ok(mcp.replies.some((r) => r.includes('Cy Diallo')));
    assert.equal(mcp.replies.filter((r) => r.includes(mariadb.password)).length, 0);
    assert.ok(!log.includes(mariadb.password));
  });

  it('records an agentTool history for replay', async () => {
    const connection = await Connection.connect({ address: temporal.address });
    try {
      const client = new TemporalClient({ connection });
      for await (const w of client.workflow.list({ query: "WorkflowType = 'agentTool'" })) {
        if (!w.workflowId.startsWith('osiris-tool-listTables-')) continue;
        const history = await client.workflow.getHandle(w.workflowId).fetchHistory();
        assert.ok(history.events?.some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'listTables'));
        await maybeRecordHistory(client.workflow.getHandle(w.workflowId), 'agentTool-list-tables');
        return;
      }
      assert.fail('no agentTool listTables workflow');
    } finally {
      await connection.close();
    }
  });
});

describe('osiris mcp refusals at start', () => {
  it('refuses to start without a shared server, naming the worker to run', async () => {
    const result = await osiris(['mcp'], { cwd: makeProject() });
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /osiris mcp runs no workers of its own/);
    assert.match(result.stderr, /osiris worker/);
    // .env is never read by the MCP process (it may hold secrets): an address there does not count.
    const withDotenv = await osiris(['mcp'], { cwd: makeProject({ '.env': 'TEMPORAL_ADDRESS=127.0.0.1:1\nSHOP_DB_PASSWORD=never-read\n' }) });
    assert.equal(withDotenv.code, 3, withDotenv.stderr);
    assert.match(withDotenv.stderr, /osiris mcp runs no workers of its own/);
  });
});
