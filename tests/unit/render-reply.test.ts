import assert from 'node:assert/strict';
import { it } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { formatReply } from '../../src/client/render-reply.js';

it('the CLI renders the structured parts the reply text does not show, as the model declared', () => {
  const rows = { columns: ['title'], rows: [['Selma']], truncated: false };
  const pipeline = { name: 'p', fingerprint: 'a'.repeat(64), oml: 'name: p\n' };
  const plain = (text: string) => stripVTControlCharacters(text);
  assert.match(plain(formatReply({ text: 'Here.', status: 'awaiting_approval', rows, pipeline, shows: [] }, 's-1')), /Selma[\s\S]*Proposed pipeline p[\s\S]*name: p/);
  const shown = plain(formatReply({ text: 'title: Selma', status: 'awaiting_approval', rows, pipeline, shows: ['rows', 'pipeline'] }, 's-1'));
  assert.doesNotMatch(shown, /Proposed pipeline/);
  assert.equal(shown.match(/Selma/g)?.length, 1);
  assert.match(shown, /osiris approve s-1/);
  // Nothing declared (a model that said nothing about its text): every part is printed, nothing guessed.
  const undeclared = plain(formatReply({ text: 'title: Selma, fingerprint ' + 'a'.repeat(64), status: 'awaiting_approval', rows, pipeline }, 's-1'));
  assert.match(undeclared, /Proposed pipeline p[\s\S]*name: p/);
  assert.equal(undeclared.match(/Selma/g)?.length, 2);
});
