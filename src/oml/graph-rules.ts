import { findCycles, type DagNode } from './dag.js';
import { outputTableName } from './manifest.js';
import { joinPath } from './path-format.js';
import type { Report } from './report.js';
import { closestNames } from './suggest.js';

/** What the graph rules need to know about a written step; fields are undefined when malformed. */
export interface StepShape {
  index: number;
  id?: string;
  mode?: string;
  /** As written; undefined when omitted. */
  needs?: string[];
}

/**
 * Checks ids and `needs` and returns each step's effective needs (omitted = the previous step, the
 * first step none). Steps with a missing or duplicate id are left out of the graph.
 */
export function checkGraph(steps: readonly StepShape[], report: Report): Map<number, string[]> {
  const firstIndex = new Map<string, number>();
  const tables = new Map<string, StepShape>();
  for (const step of steps) {
    if (step.id === undefined) continue;
    checkIdFormat(step.id, step.index, report);
    const first = firstIndex.get(step.id);
    if (first === undefined) {
      firstIndex.set(step.id, step.index);
      // Ids become table names df_<id> with - turned into _, so a-b and a_b would share one table.
      const table = outputTableName(step.id);
      const other = tables.get(table);
      if (other?.id !== undefined) {
        report({
          rule: 'step-table-collision',
          path: `steps[${step.index}].id`,
          message: `steps "${other.id}" (steps[${other.index}]) and "${step.id}" would both write table ${table}`,
          hint: `Rename one of them so their ids differ in more than - versus _ (e.g. "${step.id}-2").`,
        });
      } else {
        tables.set(table, step);
      }
      continue;
    }
    report({
      rule: 'duplicate-step-id',
      path: `steps[${step.index}].id`,
      message: `duplicate step id "${step.id}" (already used by steps[${first}])`,
      hint: 'Give every step a unique id; later steps refer to it in needs and read it as df_<id>.',
    });
  }

  const effective = new Map<number, string[]>();
  const nodes: DagNode[] = [];
  steps.forEach((step, position) => {
    const previous = steps[position - 1];
    const needs = step.needs ?? (previous?.id === undefined ? [] : [previous.id]);
    effective.set(step.index, needs);
    step.needs?.forEach((need, k) => {
      if (firstIndex.has(need)) return;
      const close = closestNames(need, firstIndex.keys());
      report({
        rule: 'unknown-need',
        path: `steps[${step.index}].needs[${k}]`,
        message: `needs "${need}", which is not a step id`,
        hint: close.length > 0 ? `Did you mean ${close.map((c) => `"${c}"`).join(' or ')}?` : `Step ids: ${[...firstIndex.keys()].join(', ')}.`,
      });
    });
    // After a step without a usable id the default input is unknowable; that step already has an error.
    const inputKnown = step.needs !== undefined || previous === undefined;
    if ((step.mode === 'transform' || step.mode === 'write') && needs.length === 0 && inputKnown) {
      report({
        rule: 'missing-input',
        path: step.needs === undefined ? `steps[${step.index}]` : `steps[${step.index}].needs`,
        message: `${step.mode} step "${step.id ?? `steps[${step.index}]`}" has no input`,
        hint: 'List the steps it reads in needs (e.g. needs: [extract-movies]), or put a read step before it.',
      });
    }
    if (step.id !== undefined && firstIndex.get(step.id) === step.index) {
      nodes.push({ id: step.id, needs: needs.filter((need) => firstIndex.has(need)) });
    }
  });

  for (const cycle of findCycles(nodes)) {
    const start = firstIndex.get(cycle[0] ?? '') ?? 0;
    const written = steps.find((s) => s.index === start)?.needs !== undefined;
    report({
      rule: 'cyclic-needs',
      path: written ? joinPath(`steps[${start}]`, 'needs') : `steps[${start}]`,
      message: `needs form a cycle: ${[...cycle, cycle[0]].join(' -> ')}`,
      hint: 'Remove one of these needs so that every step only needs steps that can run before it.',
    });
  }
  return effective;
}

/** Step ids name tables, workflow activities and files: a short, plain alphabet. */
export const MAX_STEP_ID_LENGTH = 100;
const STEP_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

function checkIdFormat(id: string, index: number, report: Report): void {
  if (id.length > MAX_STEP_ID_LENGTH) {
    report({ rule: 'step-id-format', path: `steps[${index}].id`, message: `step id is ${id.length} characters long (at most ${MAX_STEP_ID_LENGTH})`, hint: 'Use a short id such as extract-orders.' });
  } else if (!STEP_ID.test(id)) {
    report({ rule: 'step-id-format', path: `steps[${index}].id`, message: `step id "${id}" may only use letters, digits, - and _ (starting with a letter or digit)`, hint: `Try "${id.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[-_]+/, '') || 'step'}".` });
  }
}
