import { getComponentSpec, componentSpecs } from '../connectors/families.js';
import type { ComponentSpec } from '../connectors/spec.js';
import { checkConfig, type ConfigChecks } from './config-rules.js';
import { checkGraph, type StepShape } from './graph-rules.js';
import { isLegacyPipeline, upgradeLegacy } from './legacy.js';
import type { ParamValue, StepMode } from './manifest.js';
import { parseYaml } from './parse.js';
import { checkParamType, substituteParams } from './params.js';
import { isError, type Problem } from './problem.js';
import { isRecord } from './record.js';
import type { Finding, Report } from './report.js';
import { omlDocumentSchema, omlStepSchema, paramValueSchema, type OmlDocument } from './schema.js';
import { closestNames } from './suggest.js';
import { describeType, issueFindings } from './zod-issues.js';

/**
 * checkTransformSql: transform SQL is one read-only query; checkInputPath: files read stay in the
 * input directory; checkConnection: references name configured connections. Each rule is skipped
 * without its check (they need DuckDB, the file system or the project).
 */
export interface ValidateOptions extends ConfigChecks {
  /** Overrides for the OML `params:` defaults (e.g. from `parseParamArgs`). */
  params?: Record<string, ParamValue>;
  /** Named in error messages. */
  file?: string;
}

/**
 * The pipeline travels in workflow inputs (as OML and as its manifest); Temporal refuses payloads
 * over 2 MiB and warns from 512 KiB, after a slow failed start. Far above any real pipeline.
 */
export const MAX_PIPELINE_BYTES = 512 * 1024;

export interface ValidationReport {
  ok: boolean;
  /** Errors and warnings, ordered by source line. */
  problems: Problem[];
  /** The document as written (legacy format upgraded), when it has the OML shape. */
  oml?: OmlDocument;
  file?: string;
}

/** A step ready for the compiler: params substituted, schema defaults applied, needs filled in. */
export interface ResolvedStep {
  id: string;
  component: string;
  spec: ComponentSpec;
  mode: StepMode;
  needs: string[];
  config: Record<string, unknown>;
}

export interface Analysis {
  report: ValidationReport;
  params: Record<string, ParamValue>;
  /** Present only when the report has no errors. */
  steps?: ResolvedStep[];
}

/** Validates OML (or the legacy format) and reports every problem at once. */
export async function validateOml(text: string, options: ValidateOptions = {}): Promise<ValidationReport> {
  return (await analyzeOml(text, options)).report;
}

const FIELD_HINTS: Record<string, string> = {
  oml_version: 'Add oml_version: "0.1.0" as the first line.',
  name: 'Add name: <pipeline-name> (lowercase letters, digits, - and _).',
  steps: 'Add steps: a list of steps, each with id, component, mode and config.',
  id: 'Give the step an id, e.g. id: extract-movies.',
  component: 'Name the component, e.g. component: sqlite.extractor (see osiris components list).',
  mode: 'Set mode: read, transform or write.',
  config: 'Add config: a mapping of the component settings (see osiris components show <component>).',
};

export async function analyzeOml(text: string, options: ValidateOptions = {}): Promise<Analysis> {
  const tooLarge = sizeProblem(text);
  if (tooLarge) {
    return { report: { ok: false, problems: [tooLarge], ...(options.file === undefined ? {} : { file: options.file }) }, params: {} };
  }
  const parsed = parseYaml(text);
  const problems: Problem[] = [...parsed.problems];
  let document = parsed.value;
  let toSource = (path: string): string => path;
  const report: Report = (finding: Finding) => {
    // Every problem points somewhere; an empty document's problems point at its start.
    const location = parsed.locate(toSource(finding.path)) ?? { line: 1, column: 1 };
    problems.push({ severity: finding.severity ?? 'error', ...finding, ...location });
  };

  if (isLegacyPipeline(document)) {
    const upgrade = upgradeLegacy(document);
    document = upgrade.oml;
    toSource = upgrade.sourcePath;
    upgrade.problems.forEach(report);
  }

  const params = parsed.problems.length > 0 ? {} : effectiveParams(document, options.params ?? {}, report);
  const shape = omlDocumentSchema.safeParse(document);
  const steps = parsed.problems.length > 0 ? undefined : await checkDocument(document, shape.success ? undefined : shape.error.issues, params, options, report);

  const ordered = problems
    .map((problem, order) => ({ problem, order }))
    .sort((a, b) => (a.problem.line ?? 0) - (b.problem.line ?? 0) || (a.problem.column ?? 0) - (b.problem.column ?? 0) || a.order - b.order)
    .map(({ problem }) => problem);
  const ok = !ordered.some(isError);
  return {
    report: {
      ok,
      problems: ordered,
      ...(shape.success ? { oml: shape.data } : {}),
      ...(options.file === undefined ? {} : { file: options.file }),
    },
    params,
    ...(ok && steps ? { steps } : {}),
  };
}

/** OML `params:` are defaults; overrides win. An override the OML never declares is likely a typo. */
function effectiveParams(document: unknown, overrides: Record<string, ParamValue>, report: Report): Record<string, ParamValue> {
  const declared: Record<string, ParamValue> = {};
  const written = isRecord(document) && isRecord(document.params) ? document.params : {};
  for (const [name, value] of Object.entries(written)) {
    const checked = paramValueSchema.safeParse(value);
    if (checked.success) declared[name] = checked.data;
  }
  const effective: Record<string, ParamValue> = { ...declared };
  for (const [name, given] of Object.entries(overrides)) {
    if (Object.prototype.hasOwnProperty.call(declared, name)) {
      const typed = checkParamType(name, declared[name]!, given);
      if ('value' in typed) effective[name] = typed.value;
      else report({ rule: 'param-type', path: `params.${name}`, message: typed.error, hint: `Pass a ${typeof declared[name]} (e.g. --param ${name}=${String(declared[name])}), or change the declared default if the param is meant to hold text.` });
      continue;
    }
    effective[name] = given;
    report({
      severity: 'warning',
      rule: 'undeclared-param',
      path: 'params',
      message: `param "${name}" is set but not declared in the pipeline`,
      hint: `Declare it with a default under params: (e.g. ${name}: ...), or check its spelling.`,
    });
  }
  return effective;
}

async function checkDocument(
  document: unknown,
  issues: Parameters<typeof issueFindings>[0] | undefined,
  params: Record<string, ParamValue>,
  options: ValidateOptions,
  report: Report,
): Promise<ResolvedStep[] | undefined> {
  for (const finding of issues ? issueFindings(issues, document, '') : []) {
    if (finding.kind === 'missing') {
      report({ rule: 'missing-field', path: finding.path, message: `missing required field "${finding.key}"`, hint: FIELD_HINTS[finding.key] ?? `Add ${finding.key}.` });
    } else if (finding.kind === 'unknown') {
      const allowed = Object.keys(/^steps\[\d+\]/.test(finding.path) ? omlStepSchema.shape : omlDocumentSchema.shape);
      const close = closestNames(finding.key, allowed);
      report({
        rule: 'unknown-field',
        path: finding.path,
        message: `unknown field "${finding.key}"`,
        hint: `${close.length > 0 ? `Did you mean "${close[0]}"? ` : ''}Allowed here: ${allowed.join(', ')}.`,
      });
    } else if (finding.path === '') {
      const got = document === null || document === undefined ? 'the pipeline is empty' : `the pipeline must be a mapping, got ${describeType(document)}`;
      report({ rule: 'invalid-type', path: '', message: got, hint: 'Start the file with oml_version: "0.1.0", name and steps.' });
    } else {
      report({
        rule: finding.kind === 'type' ? 'invalid-type' : 'invalid-value',
        path: finding.path,
        message: `invalid ${/^\d*$/.test(finding.key) ? 'item' : `"${finding.key}"`}: ${finding.message}`,
        hint: FIELD_HINTS[finding.key] ?? 'See the OML format in the documentation (oml_version, name, params, steps).',
      });
    }
  }
  if (!isRecord(document) || !Array.isArray(document.steps)) return undefined;

  const rawSteps = document.steps.map((step, index) => ({ step: isRecord(step) ? step : {}, index }));
  const shapes: StepShape[] = rawSteps.map(({ step, index }) => ({
    index,
    ...(typeof step.id === 'string' && step.id !== '' ? { id: step.id } : {}),
    ...(typeof step.mode === 'string' ? { mode: step.mode } : {}),
    ...(Array.isArray(step.needs) ? { needs: step.needs.filter((n): n is string => typeof n === 'string') } : {}),
  }));
  const needs = checkGraph(shapes, report);

  const resolved: ResolvedStep[] = [];
  for (const { step, index } of rawSteps) {
    const path = `steps[${index}]`;
    const spec = typeof step.component === 'string' ? checkComponent(step.component, step.mode, path, report) : undefined;
    if (!isRecord(step.config)) continue;
    const substituted = substituteParams(step.config, params, `${path}.config`, sqlKeysOf(spec));
    for (const ref of substituted.quoted) {
      report({
        rule: 'quoted-param',
        path: ref.path,
        message: `\${params.${ref.name}} is written inside quotes in SQL`,
        hint: `Remove the quotes around \${params.${ref.name}}: in SQL a param is inserted as a literal (text is quoted and escaped for you).`,
      });
    }
    for (const ref of substituted.unknown) {
      report({
        rule: 'unknown-param',
        path: ref.path,
        message: `unknown param "${ref.name}" in \${params.${ref.name}}`,
        hint: `Declare it under params: (e.g. ${ref.name}: <default>) or pass --param ${ref.name}=<value>.`,
      });
    }
    const config = await checkConfig(substituted.value as Record<string, unknown>, spec, `${path}.config`, report, options);
    const inputs = needs.get(index) ?? [];
    if (step.mode === 'write' && inputs.length > 1) {
      report({
        rule: 'writer-inputs',
        path: `${path}.needs`,
        message: `write step "${String(step.id)}" needs ${inputs.length} steps (${inputs.join(', ')}); a writer writes one table`,
        hint: 'Join or union the inputs in a duckdb.processor step and let the writer need only that step, or add one writer per input.',
      });
    }
    if (spec && config && typeof step.id === 'string') {
      resolved.push({ id: step.id, component: spec.name, spec, mode: step.mode as StepMode, needs: needs.get(index) ?? [], config });
    }
  }
  return resolved;
}

/** Config keys holding SQL, where params become literals: transform queries, extractor queries and filters. */
function sqlKeysOf(spec: ComponentSpec | undefined): Set<string> {
  if (!spec) return new Set();
  const shape = spec.config.shape;
  return new Set([...spec.transformSqlKeys, ...['query', 'where'].filter((key) => key in shape)]);
}

function sizeProblem(text: string): Problem | undefined {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes <= MAX_PIPELINE_BYTES) return undefined;
  // Point at the line where the limit is crossed.
  const line = text.slice(0, MAX_PIPELINE_BYTES).split('\n').length;
  return {
    severity: 'error',
    rule: 'pipeline-too-large',
    path: '',
    line,
    column: 1,
    message: `the pipeline is ${(bytes / 1024 / 1024).toFixed(1)} MiB; at most ${MAX_PIPELINE_BYTES / 1024} KiB fits in a Temporal workflow input`,
    hint: 'Keep data, long comments and generated text out of the pipeline file; read data with an extractor step instead.',
  };
}

function checkComponent(component: string, mode: unknown, path: string, report: Report): ComponentSpec | undefined {
  const spec = getComponentSpec(component);
  if (!spec) {
    const close = closestNames(component, componentSpecs.keys());
    report({
      rule: 'unknown-component',
      path: `${path}.component`,
      message: `unknown component "${component}"`,
      hint: `${close.length > 0 ? `Did you mean ${close.join(' or ')}? ` : ''}Run osiris components list to see every component.`,
    });
    return undefined;
  }
  if ((mode === 'read' || mode === 'transform' || mode === 'write') && !spec.modes.includes(mode)) {
    report({
      rule: 'unsupported-mode',
      path: `${path}.mode`,
      message: `${spec.name} does not support mode "${mode}" (it supports: ${spec.modes.join(', ')})`,
      hint: `Set mode: ${spec.modes[0] ?? 'read'}, or pick a component made for ${mode} steps.`,
    });
  }
  return spec;
}
