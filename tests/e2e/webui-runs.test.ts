import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import type { Browser, Page } from 'playwright-core';
import { startPipelineRun } from '../../src/client/start-run.js';
import { compileOml } from '../../src/oml/compile.js';
import { checkTransformSql } from '../../src/dataplane/sql-guard.js';
import { launchBrowser, newCheckedPage, saveScreenshot } from '../support/browser.js';
import { repoRoot } from '../support/cli.js';
import { makeProject, testConfig } from '../support/project.js';
import { startTestTemporal, type TestTemporal } from '../support/temporal.js';
import { startWorkers, type InProcessWorkers } from '../support/workers.js';

/** The Temporal Web UI of the dev server tells the story by itself: runs listed and filterable by pipeline. */
const example = readFileSync(path.join(repoRoot, 'examples', 'top-rated-movies.yaml'), 'utf8');

let temporal: TestTemporal;
let client: Client;
let workers: InProcessWorkers;
let browser: Browser;
const ids: Record<string, string> = {};

before(async () => {
  temporal = await startTestTemporal();
  client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
  workers = await startWorkers(testConfig(makeProject(), temporal.address));
  for (const name of ['webui-movies', 'webui-other']) {
    const compiled = await compileOml(example.replace('name: top-rated-movies', `name: ${name}`), { params: {}, checkTransformSql });
    const handle = await startPipelineRun(client, compiled, 'local');
    await handle.result();
    ids[name] = handle.workflowId;
  }
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await workers.stop();
  await client.connection.close();
  await temporal.stop();
});

const ui = (pathAndQuery: string) => `http://127.0.0.1:${temporal.uiPort}/namespaces/${temporal.namespace}${pathAndQuery}`;

/** Visibility lags a little behind the run: reload until `text` shows up. */
async function waitForText(page: Page, url: string, text: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    await page.goto(url);
    try {
      await page.getByText(text).first().waitFor({ timeout: 5_000 });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
  }
}

describe('the Temporal Web UI', () => {
  test('lists the run and filters by OsirisPipeline', async () => {
    const { page, errors } = await newCheckedPage(browser);
    const url = ui(`/workflows?query=${encodeURIComponent('OsirisPipeline="webui-movies"')}`);
    await waitForText(page, url, ids['webui-movies']!);
    assert.equal(await page.getByText(ids['webui-other']!).count(), 0, 'the other pipeline is filtered out');
    await saveScreenshot(page, 'webui-filtered');
    assert.deepEqual(errors, [], 'no console errors');
    await page.close();
  });

  test("the run's page names each activity after its step", async () => {
    const { page, errors } = await newCheckedPage(browser);
    await waitForText(page, ui(`/workflows/${ids['webui-movies']}`), 'top-rated (duckdb.processor)');
    for (const summary of ['prepare local workspace', 'extract-movies (sqlite.extractor)', 'save-parquet (filesystem.parquet_writer)', 'cleanup (completed)']) {
      assert.ok((await page.getByText(summary).count()) > 0, summary);
    }
    await saveScreenshot(page, 'webui-run');
    assert.deepEqual(errors, [], 'no console errors');
    await page.close();
  });
});
