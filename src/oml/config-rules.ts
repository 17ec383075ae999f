import type { ComponentSpec } from '../connectors/spec.js';
import { parseConnectionRef } from '../connections/ref.js';
import { checkRelativeOutputPath } from './output-path.js';
import { joinPath } from './path-format.js';
import type { Report } from './report.js';
import { findInlineSecrets } from './secrets.js';
import { closestNames } from './suggest.js';
import { issueFindings } from './zod-issues.js';

export type TransformSqlCheck = (sql: string) => Promise<{ ok: true } | { ok: false; reason: string; hint: string }>;
/** Where a step may read a file (the project's input directory); needs the file system, so it is injected. */
export type InputPathCheck = (path: string) => Promise<{ ok: true; exists: boolean } | { ok: false; reason: string; hint: string }>;
/** Whether a connection reference names a configured connection whose ${ENV} references are set. */
export type ConnectionCheck = (ref: string) => { severity: 'error' | 'warning'; rule: string; message: string; hint: string } | undefined;

export interface ConfigChecks {
  checkTransformSql?: TransformSqlCheck;
  checkInputPath?: InputPathCheck;
  checkConnection?: ConnectionCheck;
}

// Extractor options that only make sense when reading a whole table.
const TABLE_ONLY_KEYS = ['columns', 'where', 'limit'];

/**
 * Checks one step's config (params already substituted) against its component spec. Returns the
 * parsed config with the schema's defaults applied, or undefined when the schema rejects it.
 */
export async function checkConfig(
  config: Record<string, unknown>,
  spec: ComponentSpec | undefined,
  path: string,
  report: Report,
  checks: ConfigChecks = {},
): Promise<Record<string, unknown> | undefined> {
  const { checkTransformSql } = checks;
  for (const secretPath of findInlineSecrets(config, path)) {
    report({
      rule: 'inline-secret',
      path: secretPath,
      message: `"${secretPath.slice(secretPath.lastIndexOf('.') + 1)}" holds a literal secret`,
      hint: 'Keep secrets in osiris_connections.yaml as ${ENV_VAR} and refer to the connection as @family.alias.',
    });
  }
  if (!spec) return undefined;

  const parsed = spec.config.safeParse(config);
  const keys = Object.keys(spec.config.shape);
  for (const finding of parsed.success ? [] : issueFindings(parsed.error.issues, config, path)) {
    if (finding.kind === 'unknown') {
      const close = closestNames(finding.key, keys);
      report({
        rule: 'unknown-config-key',
        path: finding.path,
        message: `unknown config key "${finding.key}" for ${spec.name}`,
        hint: `${close.length > 0 ? `Did you mean "${close[0]}"? ` : ''}${spec.name} accepts: ${keys.join(', ')}.`,
      });
    } else if (finding.kind === 'missing') {
      const described = spec.config.shape[finding.key]?.description;
      report({
        rule: 'missing-config-key',
        path: finding.path,
        message: `missing required config key "${finding.key}" for ${spec.name}`,
        hint: `Add ${finding.key}${described ? ` (${described})` : ''}; see osiris components show ${spec.name}.`,
      });
    } else {
      report({
        rule: 'invalid-config-value',
        path: finding.path,
        message: `invalid value for "${finding.key}": ${finding.message}`,
        hint: `See osiris components show ${spec.name} for the accepted values.`,
      });
    }
  }

  for (const key of spec.connectionKeys) checkConnection(config[key], spec, joinPath(path, key), report, checks.checkConnection);
  checkQueryOrTable(config, spec, path, report);
  for (const key of spec.inputPathKeys ?? []) {
    const value = config[key];
    if (typeof value !== 'string' || !checks.checkInputPath) continue;
    const verdict = await checks.checkInputPath(value);
    if (!verdict.ok) {
      report({ rule: 'input-path-refused', path: joinPath(path, key), message: `input path "${value}" is refused: ${verdict.reason}`, hint: verdict.hint });
    } else if (!verdict.exists) {
      report({ severity: 'warning', rule: 'input-missing', path: joinPath(path, key), message: `input file "${value}" does not exist (yet)`, hint: 'Create the file before the run, or fix the path (relative to the project directory).' });
    }
  }
  for (const key of spec.outputPathKeys) {
    const value = config[key];
    const reason = typeof value === 'string' ? checkRelativeOutputPath(value) : null;
    if (reason === null) continue;
    report({
      rule: 'output-path-escape',
      path: joinPath(path, key),
      message: `output path "${String(value)}" leaves the output directory: ${reason}`,
      hint: 'Use a path relative to the output directory, e.g. top_rated.csv or reports/top_rated.csv.',
    });
  }

  const effective = parsed.success ? (parsed.data as Record<string, unknown>) : config;
  if ('write_mode' in spec.config.shape) checkPrimaryKey(effective, path, report);

  if (checkTransformSql) {
    for (const key of spec.transformSqlKeys) {
      const sql = config[key];
      if (typeof sql !== 'string') continue;
      const verdict = await checkTransformSql(sql);
      if (verdict.ok) continue;
      report({ rule: 'transform-sql', path: joinPath(path, key), message: `transform SQL refused: ${verdict.reason}`, hint: verdict.hint });
    }
  }
  return parsed.success ? effective : undefined;
}

/** Extractors read either one query or one table; options of a table read are refused with a query. */
function checkQueryOrTable(config: Record<string, unknown>, spec: ComponentSpec, path: string, report: Report): void {
  const shape = spec.config.shape;
  if (!('query' in shape) || !('table' in shape) || 'write_mode' in shape) return;
  const hasQuery = config.query !== undefined;
  const hasTable = config.table !== undefined;
  if (hasQuery && hasTable) {
    report({ rule: 'query-or-table', path: joinPath(path, 'query'), message: `${spec.name} reads a query or a table, not both`, hint: 'Keep query: (a SELECT) or table: (a table name), and remove the other.' });
  } else if (!hasQuery && !hasTable) {
    report({ rule: 'query-or-table', path, message: `${spec.name} needs query: or table:`, hint: 'Add table: <name> to read a whole table, or query: SELECT ... to read the result of a query.' });
  } else if (hasQuery) {
    for (const key of TABLE_ONLY_KEYS.filter((k) => config[k] !== undefined && k in shape)) {
      report({ rule: 'query-or-table', path: joinPath(path, key), message: `"${key}" applies to table:, not to query:`, hint: `Write the ${key === 'columns' ? 'column list' : key === 'where' ? 'filter' : 'limit'} into the query instead.` });
    }
  }
}

function checkConnection(value: unknown, spec: ComponentSpec, path: string, report: Report, check?: ConnectionCheck): void {
  if (typeof value !== 'string') return;
  const family = spec.family ?? 'family';
  const ref = parseConnectionRef(value);
  if (!ref) {
    // The value is not echoed: a malformed reference is often a DSN with a password in it.
    report({
      rule: 'connection-ref-format',
      path,
      message: `connection must be a reference like "@${family}.alias"`,
      hint: `Define the connection in osiris_connections.yaml under ${family}: <alias>: and write "@${family}.<alias>".`,
    });
  } else if (spec.family !== undefined && ref.family !== spec.family) {
    report({
      rule: 'connection-family-mismatch',
      path,
      message: `${spec.name} needs a @${spec.family} connection, got "@${ref.family}.${ref.alias}"`,
      hint: `Use a ${spec.family} connection (e.g. "@${spec.family}.${ref.alias}") or a ${ref.family} component.`,
    });
  } else {
    const found = check?.(value);
    if (found) report({ ...found, path });
  }
}

function checkPrimaryKey(config: Record<string, unknown>, path: string, report: Report): void {
  const mode = config.write_mode;
  if (mode !== 'replace' && mode !== 'upsert') return;
  const key = config.primary_key;
  const missing = key === undefined || key === null || key === '' || (Array.isArray(key) && key.length === 0);
  if (!missing) return;
  report({
    rule: 'missing-primary-key',
    path: joinPath(path, 'write_mode'),
    message: `write_mode "${mode}" needs primary_key`,
    hint: 'Add primary_key: <column> (or a list of columns) so rewrites and retries cannot duplicate rows.',
  });
}
