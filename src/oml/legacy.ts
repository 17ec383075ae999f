import { outputTableName } from './manifest.js';
import { formatPath, parentPath } from './path-format.js';
import type { Problem } from './problem.js';
import { isRecord } from './record.js';

/**
 * The pre-OML format of the original Osiris ("osiris-pipeline-v2", docs/archive/dev-plan.md and the
 * first conversational agent), upgraded to OML v0.1.0:
 *
 *   name: pipeline_name            -> name (lower-cased, other characters become `-`)
 *   version: 1.0                   -> dropped (oml_version: "0.1.0")
 *   description, params            -> kept
 *   extract:                       -> one read step per item (per table when `tables` lists several)
 *     - id: get_data                  id (or `name`; else extract_<n>)
 *       source: mysql                 component `<source>.extractor`
 *       table: users | tables: [..]   config.table
 *       sql: / query: ...             config.query
 *       connection: "@mysql.main"     config.connection; absent or an inline mapping -> `@<source>.default`
 *   transform:                     -> one transform step per item
 *     - id: process                   component `<engine>.processor` (engine defaults to duckdb)
 *       sql: SELECT * FROM get_data   config.query, with references to earlier step ids (and extracted
 *                                     table names) rewritten to their `df_<id>` tables; needs = the
 *                                     steps referenced, or the previous step when none is
 *   load:                          -> one write step per item, each needing the last extract/transform
 *     - id: save
 *       to: csv|parquet|json          component `filesystem.<to>_writer` (`destination:` also accepted)
 *       to: <family>                  component `<family>.writer`, connection as for extract
 *       path: output/results.csv      other keys are copied into config unchanged (validation checks them)
 */
export interface LegacyUpgrade {
  oml: Record<string, unknown>;
  /** Translates a path in the upgraded OML (`steps[3].config.path`) to the legacy source (`load[0].path`). */
  sourcePath(omlPath: string): string;
  problems: Problem[];
}

const LEGACY_SECTIONS = ['extract', 'transform', 'load'] as const;
const FILE_FORMATS = new Set(['csv', 'parquet', 'json']);
const ITEM_META_KEYS = new Set(['id', 'name', 'source', 'engine', 'to', 'destination', 'connection', 'tables', 'table', 'sql', 'query']);

export function isLegacyPipeline(value: unknown): value is Record<string, unknown> {
  return (
    isRecord(value) && !('oml_version' in value) && !('steps' in value) && LEGACY_SECTIONS.some((key) => key in value)
  );
}

interface UpgradeState {
  steps: Record<string, unknown>[];
  translations: Map<string, string>;
  problems: Problem[];
  /** Names legacy SQL may use for a step's output (its id, its table) -> the step's `df_` table. */
  aliases: Map<string, { stepId: string; table: string }>;
}

export function upgradeLegacy(legacy: Record<string, unknown>): LegacyUpgrade {
  const state: UpgradeState = { steps: [], translations: new Map(), problems: [], aliases: new Map() };
  state.problems.push({
    severity: 'warning',
    rule: 'legacy-format',
    path: '',
    message: 'Legacy extract/transform/load pipeline upgraded to OML v0.1.0',
    hint: 'Rewrite the file as OML (oml_version: "0.1.0", name, steps with id/component/mode/config); the upgraded document is in the validation report.',
  });
  const items = (section: (typeof LEGACY_SECTIONS)[number]): [Record<string, unknown>, string][] => {
    const list = legacy[section];
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list)) {
      state.problems.push(legacyError(section, `"${section}" must be a list of items`, `Write ${section}: as a YAML list (- id: ...).`));
      return [];
    }
    return list.flatMap((item, index): [Record<string, unknown>, string][] => {
      const path = formatPath([section, index]);
      if (isRecord(item)) return [[item, path]];
      state.problems.push(legacyError(path, `${section} item must be a mapping`, 'Give each item keys such as id, source, sql, to, path.'));
      return [];
    });
  };

  items('extract').forEach(([item, path], index) => upgradeExtract(state, item, path, index));
  items('transform').forEach(([item, path], index) => upgradeTransform(state, item, path, index));
  const lastProducer = state.steps.at(-1)?.id;
  items('load').forEach(([item, path], index) => upgradeLoad(state, item, path, index, lastProducer));

  const oml: Record<string, unknown> = { oml_version: '0.1.0' };
  for (const [key, value] of Object.entries(legacy)) {
    if (key === 'version' || (LEGACY_SECTIONS as readonly string[]).includes(key)) continue;
    oml[key] = key === 'name' && typeof value === 'string' ? slugify(value) : value;
  }
  oml.steps = state.steps;
  const sourcePath = (omlPath: string): string => {
    for (let p: string | undefined = omlPath; p !== undefined; p = parentPath(p)) {
      const legacyPath = state.translations.get(p);
      if (legacyPath !== undefined) return legacyPath + omlPath.slice(p.length);
    }
    return omlPath;
  };
  return { oml, sourcePath, problems: state.problems };
}

function upgradeExtract(state: UpgradeState, item: Record<string, unknown>, path: string, index: number): void {
  const baseId = itemId(item, 'extract', index);
  const source = typeof item.source === 'string' ? item.source : 'unknown';
  const tables = Array.isArray(item.tables) ? item.tables : item.table === undefined ? [] : [item.table];
  const tableKey = Array.isArray(item.tables) ? 'tables' : 'table';
  const queryKey = item.sql !== undefined ? 'sql' : 'query';
  const connection = legacyConnection(state, item, path, source);
  const perTable: (unknown | undefined)[] = tables.length === 0 ? [undefined] : tables;
  perTable.forEach((table, tableIndex) => {
    const id = perTable.length > 1 ? `${baseId}-${String(table)}` : baseId;
    const stepPath = formatPath(['steps', state.steps.length]);
    const config: Record<string, unknown> = { connection, ...extraKeys(item) };
    if (table !== undefined) config.table = table;
    if (item[queryKey] !== undefined) config.query = item[queryKey];
    state.steps.push({ id, component: `${source}.extractor`, mode: 'read', config, ...(state.steps.length > 0 ? { needs: [] } : {}) });
    state.translations.set(stepPath, path);
    // Legacy items hold config keys at item level.
    state.translations.set(`${stepPath}.config`, path);
    state.translations.set(`${stepPath}.component`, `${path}.source`);
    state.translations.set(`${stepPath}.config.query`, `${path}.${queryKey}`);
    state.translations.set(`${stepPath}.config.table`, tableKey === 'tables' ? `${path}.tables[${tableIndex}]` : `${path}.table`);
    addAlias(state, id, id);
    if (perTable.length === 1) addAlias(state, baseId, id);
    if (typeof table === 'string') addAlias(state, table, id);
  });
}

function upgradeTransform(state: UpgradeState, item: Record<string, unknown>, path: string, index: number): void {
  const id = itemId(item, 'transform', index);
  const engine = typeof item.engine === 'string' ? item.engine : 'duckdb';
  const queryKey = item.sql !== undefined ? 'sql' : 'query';
  const stepPath = formatPath(['steps', state.steps.length]);
  const config: Record<string, unknown> = { ...extraKeys(item) };
  const step: Record<string, unknown> = { id, component: `${engine}.processor`, mode: 'transform', config };
  const sql = item[queryKey];
  if (typeof sql === 'string') {
    const { text, referenced } = rewriteTableReferences(sql, state.aliases);
    config.query = text;
    if (referenced.length > 0) {
      step.needs = referenced;
      state.problems.push({
        severity: 'warning',
        rule: 'legacy-sql-rewritten',
        path: `${stepPath}.config.query`,
        message: `Table references rewritten to step outputs: ${referenced.map((ref) => outputTableName(ref)).join(', ')}`,
        hint: 'Check the rewritten query; in OML a step reads earlier outputs as df_<step_id> tables.',
      });
    }
  } else if (sql !== undefined) {
    config.query = sql;
  }
  state.steps.push(step);
  state.translations.set(stepPath, path);
  state.translations.set(`${stepPath}.config`, path);
  state.translations.set(`${stepPath}.component`, `${path}.engine`);
  state.translations.set(`${stepPath}.config.query`, `${path}.${queryKey}`);
  addAlias(state, id, id);
}

function upgradeLoad(state: UpgradeState, item: Record<string, unknown>, path: string, index: number, input: unknown): void {
  const id = itemId(item, 'load', index);
  const targetKey = item.to !== undefined ? 'to' : 'destination';
  const target = typeof item[targetKey] === 'string' ? (item[targetKey] as string) : 'unknown';
  const isFile = FILE_FORMATS.has(target);
  const config: Record<string, unknown> = { ...extraKeys(item) };
  if (!isFile) config.connection = legacyConnection(state, item, path, target);
  if (item.table !== undefined) config.table = item.table;
  const stepPath = formatPath(['steps', state.steps.length]);
  state.steps.push({
    id,
    component: isFile ? `filesystem.${target}_writer` : `${target}.writer`,
    mode: 'write',
    config,
    ...(typeof input === 'string' ? { needs: [input] } : {}),
  });
  state.translations.set(stepPath, path);
  state.translations.set(`${stepPath}.config`, path);
  state.translations.set(`${stepPath}.component`, `${path}.${targetKey}`);
}

/** Legacy items carried their own connection details; OML names a connection instead. */
function legacyConnection(state: UpgradeState, item: Record<string, unknown>, path: string, family: string): string {
  if (typeof item.connection === 'string') return item.connection;
  if (item.connection !== undefined) {
    state.problems.push({
      severity: 'warning',
      rule: 'legacy-inline-connection',
      path: `${path}.connection`,
      message: `Inline connection details replaced by @${family}.default`,
      hint: `Define the connection under ${family}.default in osiris_connections.yaml (secrets as \${ENV_VAR}), or reference another alias.`,
    });
  }
  return `@${family}.default`;
}

function extraKeys(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([key]) => !ITEM_META_KEYS.has(key)));
}

function itemId(item: Record<string, unknown>, section: string, index: number): string {
  const id = item.id ?? item.name;
  return typeof id === 'string' && id !== '' ? id : `${section}_${index + 1}`;
}

function addAlias(state: UpgradeState, alias: string, stepId: string): void {
  const key = alias.toLowerCase();
  if (!state.aliases.has(key)) state.aliases.set(key, { stepId, table: outputTableName(stepId) });
}

/**
 * Rewrites bare and double-quoted identifiers naming an earlier step to its `df_` table. String
 * literals are left alone. Returns the referenced step ids in first-use order.
 */
function rewriteTableReferences(sql: string, aliases: UpgradeState['aliases']): { text: string; referenced: string[] } {
  const referenced: string[] = [];
  const text = sql.replace(/'(?:[^']|'')*'|"((?:[^"]|"")*)"|[A-Za-z_][A-Za-z0-9_]*/g, (token, quoted: string | undefined) => {
    if (token.startsWith("'")) return token;
    const target = aliases.get((quoted ?? token).toLowerCase());
    if (!target) return token;
    if (!referenced.includes(target.stepId)) referenced.push(target.stepId);
    return target.table;
  });
  return { text, referenced };
}

function slugify(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z0-9]+/, '').replace(/-+$/, '');
  return slug === '' ? name : slug;
}

function legacyError(path: string, message: string, hint: string): Problem {
  return { severity: 'error', rule: 'legacy-invalid', path, message, hint };
}
