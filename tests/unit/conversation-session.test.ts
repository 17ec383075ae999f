import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProposedPipeline, TurnOutcome } from '../../src/agent/types.js';
import type { Manifest } from '../../src/oml/manifest.js';
import { ConversationSession, initialState, type SessionDeps } from '../../src/workflows/conversation-session.js';
import type { ConversationStatus } from '../../src/workflows/conversation-types.js';

const FP = 'a'.repeat(64);
const manifest = { steps: [{ id: 'write', mode: 'write' }] } as unknown as Manifest;
const pipeline: ProposedPipeline = { name: 'export-movies', oml: 'oml: 0.1.0', fingerprint: FP, manifest, warnings: [] };

/** A session whose child runs are controlled by the test: each resolves when `finish` is called. */
function makeSession() {
  const statuses: ConversationStatus[] = [];
  const children: { workflowId: string; finish: (ok: boolean) => void }[] = [];
  let ids = 0;
  const deps: SessionDeps = {
    newId: () => `id${++ids}`.padEnd(8, '0'),
    onStatus: (s) => statuses.push(s),
    runChild: (_p, workflowId) =>
      new Promise((resolve, reject) =>
        children.push({
          workflowId,
          finish: (ok) => (ok ? resolve({ steps: [{ stepId: 'write', rows: 7 } as never], outputs: [{ path: 'output/movies.csv' } as never] }) : reject(new Error('Step "write" failed: disk full'))),
        }),
      ),
  };
  const session = new ConversationSession(initialState(), { sessionId: 's-1', target: 'local', settings: { connection: '@sqlite.demo', sampleSize: 10, maxStepsPerTurn: 12 } }, deps);
  return { session, statuses, children };
}

const proposing = async (): Promise<TurnOutcome> => ({ reply: 'Here is a pipeline.', messages: [], toolResults: [], llmCalls: 1, pipeline });
const systemLines = (s: ConversationSession) => s.state.transcript.filter((e) => e.role === 'system').map((e) => e.text);

describe('ConversationSession', () => {
  it('runs the pending pipeline when the approval names its fingerprint, and records the run', async () => {
    const { session, statuses, children } = makeSession();
    await session.handleMessage('export movies', proposing);
    assert.equal(session.state.status, 'awaiting_approval');
    const run = session.approve(FP, 'ana');
    assert.notEqual(typeof run, 'string');
    assert.equal(session.state.pending, undefined);
    assert.equal(session.state.status, 'running');
    children[0]!.finish(true);
    const record = await run;
    assert.deepEqual(
      { status: typeof record === 'string' ? record : record.status, rows: typeof record === 'string' ? 0 : record.rowsWritten },
      { status: 'completed', rows: 7 },
    );
    assert.match(children[0]!.workflowId, /^osiris-run-export-movies-aaaaaaaa-id1/);
    assert.deepEqual(statuses, ['thinking', 'awaiting_approval', 'running', 'awaiting_input']);
    assert.deepEqual(session.state.approvals, [{ fingerprint: FP, by: 'ana', accepted: true }]);
    assert.match(systemLines(session).at(-1)!, /completed: 7 rows written to output\/movies.csv/);
  });

  it('refuses a stale fingerprint and keeps the pipeline pending', async () => {
    const { session, children } = makeSession();
    await session.handleMessage('export movies', proposing);
    assert.match(String(session.approve('b'.repeat(64), 'mallory')), /bbbbbbbbbbbb is not the pending pipeline's \(aaaaaaaaaaaa\)/);
    assert.equal(children.length, 0);
    assert.equal(session.state.pending?.fingerprint, FP);
    assert.equal(session.state.approvals[0]?.accepted, false);
  });

  it('refuses a second approval while a run is active, and approval with nothing pending', async () => {
    const { session, children } = makeSession();
    assert.equal(session.approve(FP, 'ana'), 'no pipeline is waiting for approval');
    await session.handleMessage('export movies', proposing);
    const first = session.approve(FP, 'ana');
    session.state.pending = pipeline;
    assert.equal(session.approve(FP, 'bob'), 'a pipeline is already running');
    children[0]!.finish(false);
    const record = await first;
    assert.equal(typeof record !== 'string' && record.status, 'failed');
    assert.equal(session.state.status, 'failed');
    assert.match(systemLines(session).at(-1)!, /failed: Step "write" failed: disk full/);
    assert.equal(session.activeRun, undefined);
  });

  it('approves and rejects from the chat box', async () => {
    const { session, children } = makeSession();
    assert.equal((await session.handleMessage('approve', proposing)).text, 'Nothing was run: no pipeline is waiting for approval.');
    assert.equal((await session.handleMessage('reject', proposing)).text, 'There is no pipeline to reject.');
    await session.handleMessage('export movies', proposing);
    const rejected = await session.handleMessage('reject: wrong columns', proposing);
    assert.match(rejected.text, /^Rejected export-movies/);
    assert.match(systemLines(session).at(-1)!, /^chat rejected export-movies: wrong columns$/);
    await session.handleMessage('export movies', proposing);
    const approved = session.handleMessage('approve', proposing);
    children[0]!.finish(true);
    assert.match((await approved).text, /^Done: 7 rows written to output\/movies.csv/);
  });

  for (const payload of [{}, 'x', 42, null, undefined, [], { fingerprint: 12345 }, { fingerprint: FP, by: 7 }, { fingerprint: 'abc' }, { fingerprint: FP, extra: 1 }]) {
    it(`records and refuses the malformed approve signal ${JSON.stringify(payload)}, running nothing`, async () => {
      const { session, children } = makeSession();
      await session.handleMessage('export movies', proposing);
      session.approveSignal(payload);
      assert.equal(children.length, 0);
      assert.equal(session.state.pending?.fingerprint, FP, 'the pipeline stays pending');
      assert.match(systemLines(session).at(-1)!, /^Refused a malformed approve signal \(.*\): \S/);
    });
  }

  it('takes a well-formed approve signal, naming an unnamed sender', async () => {
    const { session, children } = makeSession();
    await session.handleMessage('export movies', proposing);
    session.approveSignal({ fingerprint: FP });
    assert.equal(children.length, 1);
    assert.equal(session.state.runs[0]?.approvedBy, 'a Temporal client');
  });

  it('says what is wrong with a malformed signal', () => {
    const { session } = makeSession();
    session.approveSignal({ fingerprint: 12345 });
    session.approveSignal(null);
    session.rejectSignal({});
    session.approveSignal({ fingerprint: FP, extra: 1 });
    assert.deepEqual(systemLines(session), [
      'Refused a malformed approve signal ({"fingerprint":12345}): "fingerprint" is the number 12345, expected string',
      'Refused a malformed approve signal (null): expected an object, got null',
      'Refused a malformed reject signal ({}): "reason" is missing',
      `Refused a malformed approve signal ({"fingerprint":"${FP.slice(0, 61)}...): unknown key "extra"`,
    ]);
  });

  for (const payload of [{}, 'x', null, { reason: '' }, { reason: 5 }]) {
    it(`refuses the malformed reject signal ${JSON.stringify(payload)} without "undefined rejected"`, async () => {
      const { session } = makeSession();
      await session.handleMessage('export movies', proposing);
      session.rejectSignal(payload);
      assert.equal(session.state.pending?.fingerprint, FP);
      assert.ok(!session.state.transcript.some((e) => e.text.includes('undefined')), JSON.stringify(session.state.transcript));
      assert.match(systemLines(session).at(-1)!, /^Refused a malformed reject signal/);
    });
  }

  it('rejects by signal, and records a rejection with nothing pending', async () => {
    const { session } = makeSession();
    session.rejectSignal({ reason: 'no', by: 'ana' });
    assert.equal(systemLines(session).at(-1), 'Rejection by ana refused: no pipeline is waiting for approval');
    await session.handleMessage('export movies', proposing);
    session.rejectSignal({ reason: 'too wide', by: 'ana' });
    assert.equal(session.state.pending, undefined);
    assert.equal(systemLines(session).at(-1), 'ana rejected export-movies: too wide');
  });
});
