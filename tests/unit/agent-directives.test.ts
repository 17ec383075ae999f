import assert from 'node:assert/strict';
import { it } from 'node:test';
import { TOOL_ACTIVITY } from '../../src/activities/agent-types.js';
import { parseDirective, parseModes } from '../../src/agent/directives.js';
import { TOOL_NAMES } from '../../src/agent/types.js';

it('parses approve / reject, and FAST: / SQL: in any order of case', () => {
  assert.deepEqual(parseDirective(' Approve! '), { kind: 'approve' });
  assert.deepEqual(parseDirective('reject: wrong table'), { kind: 'reject', reason: 'wrong table' });
  assert.deepEqual(parseDirective('reject'), { kind: 'reject', reason: 'rejected in chat' });
  assert.equal(parseDirective('approve the movies export'), undefined);
  assert.deepEqual(parseModes('fast: SQL: SELECT 1'), { fast: true, sql: 'SELECT 1', text: 'SQL: SELECT 1' });
  assert.deepEqual(parseModes('sql:select 2'), { fast: false, sql: 'select 2', text: 'sql:select 2' });
  assert.deepEqual(parseModes('FAST: export movies'), { fast: true, sql: undefined, text: 'export movies' });
  assert.deepEqual(parseModes('show me SQL: no'), { fast: false, sql: undefined, text: 'show me SQL: no' });
});

it('derives every tool activity name from the tool name, as recorded histories expect', () => {
  assert.deepEqual(TOOL_ACTIVITY, {
    list_tables: 'listTables',
    describe_table: 'describeTable',
    sample_rows: 'sampleRows',
    search_data: 'searchData',
    preview_sql: 'previewSql',
    propose_pipeline: 'proposePipeline',
  });
  assert.equal(Object.keys(TOOL_ACTIVITY).length, TOOL_NAMES.length);
});
