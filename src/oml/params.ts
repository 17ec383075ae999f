import { OsirisError } from '../errors.js';
import type { ParamValue } from './manifest.js';
import { joinPath } from './path-format.js';
import { isRecord } from './record.js';

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PARAM_REF = /\$\{params\.([A-Za-z_][A-Za-z0-9_]*)\}/g;
const WHOLE_PARAM_REF = /^\$\{params\.([A-Za-z_][A-Za-z0-9_]*)\}$/;
// Leading zeros stay strings ("007" is an id, not 7); so do forms like "1." that people rarely mean as numbers.
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

export interface UnknownParamRef {
  path: string;
  name: string;
}

export interface Substituted {
  value: unknown;
  unknown: UnknownParamRef[];
  /** References written inside quotes in SQL ('${params.x}'): refused, the param is quoted already. */
  quoted: UnknownParamRef[];
}

// A reference already inside a SQL string literal: '...${params.x}...'.
const QUOTED_PARAM_REF = /'[^']*\$\{params\.([A-Za-z_][A-Za-z0-9_]*)\}[^']*'/g;

/** A param as a SQL literal: numbers and booleans as written, strings quoted with ' doubled. */
export function sqlLiteral(value: ParamValue): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Replaces `${params.x}` in every string under `value`. A string that is exactly one reference takes
 * the param's own type (so `limit: ${params.n}` stays a number); inside longer text it is stringified.
 * Under the top-level keys in `sqlKeys` (queries, filters) a param is a SQL literal instead, so
 * `--param min_rating='8 OR 1=1'` is the string '8 OR 1=1', never SQL. Unknown references are left
 * as written and reported with their path.
 */
export function substituteParams(value: unknown, params: Readonly<Record<string, ParamValue>>, path: string, sqlKeys: ReadonlySet<string> = new Set()): Substituted {
  const unknown: UnknownParamRef[] = [];
  const quoted: UnknownParamRef[] = [];
  const has = (name: string): boolean => Object.prototype.hasOwnProperty.call(params, name);
  const walk = (node: unknown, at: string, sql: boolean): unknown => {
    if (typeof node === 'string') {
      if (sql) for (const match of node.matchAll(QUOTED_PARAM_REF)) quoted.push({ path: at, name: match[1]! });
      const whole = WHOLE_PARAM_REF.exec(node);
      if (!sql && whole?.[1] !== undefined && has(whole[1])) return params[whole[1]];
      return node.replace(PARAM_REF, (ref, name: string) => {
        if (has(name)) return sql ? sqlLiteral(params[name]!) : String(params[name]);
        unknown.push({ path: at, name });
        return ref;
      });
    }
    if (Array.isArray(node)) return node.map((item, index) => walk(item, joinPath(at, index), sql));
    if (isRecord(node)) {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, joinPath(at, key), sql || (at === path && sqlKeys.has(key)))]));
    }
    return node;
  };
  return { value: walk(value, path, false), unknown, quoted };
}

/**
 * An override keeps the type of the param's declared default: a number stays a number (so text
 * cannot reach a numeric comparison), a boolean a boolean; a string param accepts any value as text.
 */
export function checkParamType(name: string, declared: ParamValue, given: ParamValue): { value: ParamValue } | { error: string } {
  if (typeof declared === 'string') return { value: String(given) };
  if (typeof given === typeof declared) return { value: given };
  return { error: `param "${name}" is a ${typeof declared} (default ${JSON.stringify(declared)}), but the value given is ${typeof given === 'string' ? `the text ${JSON.stringify(given)}` : `the ${typeof given} ${String(given)}`}` };
}

/** CLI `--param k=v` values: `true`/`false` become booleans and plain decimal numbers become numbers. */
export function parseParamArgs(args: readonly string[]): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (eq < 0 || !PARAM_NAME.test(name)) {
      throw new OsirisError('CONFIG_INVALID', `Invalid param argument "${arg}": expected name=value`, {
        hint: 'Pass params as name=value, e.g. --param min_rating=8 (names: letters, digits, _).',
      });
    }
    if (Object.prototype.hasOwnProperty.call(out, name)) {
      throw new OsirisError('CONFIG_INVALID', `Param "${name}" is given twice (in "${arg}")`, {
        hint: `Pass ${name}=... only once.`,
      });
    }
    out[name] = coerce(arg.slice(eq + 1));
  }
  return out;
}

function coerce(raw: string): ParamValue {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (NUMBER.test(raw)) return Number(raw);
  return raw;
}
