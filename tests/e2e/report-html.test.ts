import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { freePort } from '../../src/client/dev-server.js';
import type { RunMetrics } from '../../src/runtime/events.js';
import { launchBrowser, newCheckedPage, saveScreenshot } from '../support/browser.js';
import { osiris, repoRoot } from '../support/cli.js';
import { makeProject } from '../support/project.js';

/**
 * `osiris logs` and the HTML report as a user gets them: the built CLI in embedded mode runs a good
 * and a failing pipeline, then the report is opened in headless Chromium.
 */
let projectDir: string;
let uiPort: number;
let browser: Browser;
const runs: Record<'ok' | 'broken', string> = { ok: '', broken: '' };
/** The `osiris logs html <run id>` line each `osiris run` ends with, as printed. */
const reportLines: Record<'ok' | 'broken', string> = { ok: '', broken: '' };
let example: string;
const INJECTED = '<b id=injected>no_such_column</b>';
const STEPS = ['extract-movies', 'extract-reviews', 'top-rated', 'save-csv', 'save-parquet'];

before(async () => {
  uiPort = await freePort();
  example = readFileSync(path.join(repoRoot, 'examples', 'top-rated-movies.yaml'), 'utf8');
  projectDir = makeProject({
    'osiris.yaml': `temporal:\n  port: ${await freePort()}\n  ui_port: ${uiPort}\n`,
    'examples/top-rated-movies.yaml': example,
    // Valid OML whose SQL fails when it runs (DuckDB binds column names only then); the error quotes markup the report must escape.
    'broken.yaml': example.replace('name: top-rated-movies', 'name: top-rated-broken').replace('ROUND(AVG(r.rating), 2) AS avg_rating', `ROUND(AVG(r."${INJECTED}"), 2) AS avg_rating`),
  });

  const ok = await osiris(['run', 'examples/top-rated-movies.yaml'], { cwd: projectDir, timeoutMs: 180_000 });
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  runs.ok = /workflow (\S+)/.exec(ok.stdout)![1]!;
  reportLines.ok = ok.stdout.trimEnd().split('\n').at(-1)!;
  const failed = await osiris(['run', 'broken.yaml'], { cwd: projectDir });
  assert.equal(failed.code, 1, failed.stdout + failed.stderr);
  runs.broken = /workflow (\S+)/.exec(failed.stdout)![1]!;
  // A failed run says where its report is too, after the error (on stderr).
  reportLines.broken = failed.stderr.trimEnd().split('\n').at(-1)!;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await osiris(['server', 'stop'], { cwd: projectDir });
});

async function metricsOf(run: string): Promise<RunMetrics> {
  const shown = await osiris(['logs', 'show', run, '--json'], { cwd: projectDir });
  assert.equal(shown.code, 0, shown.stderr);
  return JSON.parse(shown.stdout) as RunMetrics;
}

/** Writes the run's report with `osiris logs html`, opens it, and checks it rendered cleanly and offline. */
async function openReport(run: string, screenshot: string) {
  const written = await osiris(['logs', 'html', run], { cwd: projectDir });
  assert.equal(written.code, 0, written.stderr);
  const file = written.stdout.split('\n')[0]!;
  assert.ok(existsSync(file), file);
  const { page, errors } = await newCheckedPage(browser);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  await saveScreenshot(page, screenshot);
  assert.deepEqual(errors, [], 'no console errors');
  assert.deepEqual(requests, [pathToFileURL(file).href], 'the report loads nothing but itself');
  return page;
}

describe('osiris logs and the HTML report', () => {
  test('osiris run ends with the command that writes its report, for a completed and a failed run', async () => {
    assert.equal(reportLines.ok, `report   osiris logs html ${runs.ok}`);
    assert.equal(reportLines.broken, `report   osiris logs html ${runs.broken}`);
    // The command works as printed.
    const written = await osiris(reportLines.ok.split(/\s+/).slice(2), { cwd: projectDir });
    assert.equal(written.code, 0, written.stderr);
    assert.ok(existsSync(written.stdout.split('\n')[0]!), written.stdout);
  });

  test('logs list shows both runs with pipeline, target, status, rows and duration', async () => {
    const list = await osiris(['logs', 'list'], { cwd: projectDir });
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`top-rated-broken\\s+local\\s+failed\\s+0\\s+(?:\\d+ ms|\\d+\\.\\d s)\\s+${runs.broken}`));
    assert.match(list.stdout, new RegExp(`top-rated-movies\\s+local\\s+completed\\s+66\\s+[\\d.]+ m?s\\s+${runs.ok}`));
    assert.ok(list.stdout.indexOf(runs.broken) < list.stdout.indexOf(runs.ok), 'newest first');
  });

  test('logs show takes a part of the id and prints the steps as a table, and the error with its hint', async () => {
    const ok = await osiris(['logs', 'show', runs.ok.slice(-10)], { cwd: projectDir });
    assert.equal(ok.code, 0, ok.stderr);
    for (const step of STEPS) assert.match(ok.stdout, new RegExp(`^${step}\\s+\\S+\\s+completed\\s+1\\s+[\\d,]+`, 'm'));
    assert.match(ok.stdout, /465 rows read, 66 rows written/);
    const broken = await osiris(['logs', 'show', 'last'], { cwd: projectDir });
    assert.match(broken.stdout, /^top-rated\s+duckdb\.processor\s+failed/m);
    assert.match(broken.stdout, /error: top-rated attempt 1: SQL_ERROR\n.*no_such_column/);
    assert.match(broken.stdout, /hint: Fix the SQL of step "top-rated"/);
    const missing = await osiris(['logs', 'show', 'no-such-run'], { cwd: projectDir });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /No single run matches "no-such-run"/);
  });

  test('the report of a completed run shows the DAG, every step with its row count, and links the Web UI', async () => {
    const metrics = await metricsOf(runs.ok);
    const page = await openReport(runs.ok, 'report-completed');
    assert.equal(await page.locator('h1 .badge').textContent(), 'completed');
    for (const step of metrics.steps) {
      assert.equal(await page.locator(`table.steps tr[data-step="${step.stepId}"] td.rows`).textContent(), step.rows.toLocaleString('en-US'), step.stepId);
      assert.match((await page.locator(`svg.dag g.node[data-step="${step.stepId}"]`).textContent())!, new RegExp(`${step.rows} rows`));
    }
    assert.equal(await page.locator('svg.timeline rect.bar.completed').count(), STEPS.length);
    assert.equal(await page.locator('a', { hasText: "this run's workflow" }).getAttribute('href'), `http://localhost:${uiPort}/namespaces/default/workflows/${runs.ok}`);
    assert.match((await page.locator('body').textContent())!, new RegExp(metrics.fingerprint));
    assert.match(String(await page.evaluate('getComputedStyle(document.body).fontFamily')), /Helvetica/, 'the inline stylesheet applies');
    // `osiris run` sent the OML with the manifest: the report shows the file as written (comments,
    // oml_version, the param placeholder), not the compiled manifest re-serialized.
    assert.equal(await page.locator('h2', { hasText: /^OML$/ }).count(), 1);
    assert.equal(await page.locator('h2', { hasText: 'Compiled pipeline' }).count(), 0);
    const source = (await page.locator('pre.source').first().textContent())!;
    assert.equal(source, example);
    assert.match(source, /^oml_version: "0\.1\.0"$/m);
    assert.match(source, /\$\{params\.min_rating\}/);
    for (const step of STEPS) assert.match(source, new RegExp(`^  - id: ${step}$`, 'm'));
    assert.notEqual(await page.locator('details:has(pre.source)').first().getAttribute('open'), null, 'the OML is shown open');
    await page.close();
  });

  test('the report of a failing run shows the failing step and its error', async () => {
    const page = await openReport(runs.broken, 'report-failed');
    assert.equal(await page.locator('h1 .badge').textContent(), 'failed');
    assert.equal(await page.locator('table.steps tr[data-step="top-rated"] td.status').textContent(), 'failed');
    assert.equal(await page.locator('svg.dag g.node.failed').getAttribute('data-step'), 'top-rated');
    const error = page.locator('.error[data-step="top-rated"]');
    assert.match((await error.textContent())!, /SQL_ERROR[\s\S]*no_such_column[\s\S]*hint: Fix the SQL/);
    assert.ok((await error.textContent())!.includes(INJECTED), 'markup in an error is shown as text');
    assert.equal(await page.locator('#injected').count(), 0, 'and never becomes an element');
    // A failed run's report has its OML too, escaped like everything else.
    assert.match((await page.locator('pre.source').first().textContent())!, /name: top-rated-broken[\s\S]*<b id=injected>/);
    await page.close();
  });
});
