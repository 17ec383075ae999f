/**
 * export / copy / save: works out what to export (a whole table, the rows of a table that reference
 * the entity found earlier, or the last previewed query), optionally with an average from a table
 * referencing it, builds OML, has it validated by propose_pipeline, and shows it for approval.
 */
import { stringify } from 'yaml';
import { outputTableName } from '../../../oml/manifest.js';
import type { ErrorContent, ProposeContent } from '../../tool-content.js';
import { exchangesOf, isErrorContent, type Turn } from './conversation.js';
import { averageCandidates, lastEntity, relationsOf, type Entity } from './find.js';
import { call, needDetails, needTables, nextActions, tablesFirst, type Plan, type PlanContext } from './plan.js';
import { bullets, familyOf, keyCondition, quoteIdent, slug } from './text.js';

const EXPORT = /^(?:export|copy|save|extract|dump|download)\b\s*(.*?)[\s.!]*$/i;
const FORMAT = /\b(?:(?:to|as|into|in)\s+(?:an?\s+)?)?(csv|parquet|json)(?:\s+files?)?\b/i;
const AVERAGE = /\bwith\s+(?:their|its|the|an?\s+)?\s*(?:average|avg|mean)\s+(?:of\s+)?(?:the\s+)?([a-z_][a-z0-9_ ]*?)\s*$/i;
const PRONOUN = /\b(her|his|their|its|them|these|those)\b/i;
const RESULT = /\b(this|that|it|results?|query|above)\b/i;

type Format = 'csv' | 'parquet' | 'json';

interface ExportRequest {
  format: Format;
  /** The words naming what to export, without the format and average clauses. */
  subject: string;
  average?: string;
}

export function exportRequest(text: string): ExportRequest | undefined {
  const rest = EXPORT.exec(text)?.[1];
  if (rest === undefined) return undefined;
  const format = (FORMAT.exec(rest)?.[1]?.toLowerCase() ?? 'csv') as Format;
  const withoutFormat = rest.replace(FORMAT, ' ').trim();
  const average = AVERAGE.exec(withoutFormat);
  const subject = average ? withoutFormat.slice(0, average.index).trim() : withoutFormat;
  return { format, subject, average: average?.[1]?.trim() };
}

/** What the pipeline reads first. */
type Source = { table: string; where?: string; label?: string } | { sql: string };

interface Average {
  table: string;
  column: string;
  fkColumns: string[];
  refColumns: string[];
}

/** A table named in the subject ("movies", "movie", "table movies"), matched against the real names. */
function namedTable(subject: string, tables: string[]): string | undefined {
  const words = subject.toLowerCase().split(/[^a-z0-9_]+/).filter(Boolean);
  return tables.find((table) => {
    const name = table.toLowerCase();
    return words.some((w) => w === name || `${w}s` === name || `${w}es` === name || w === `${name}s`);
  });
}

function lastQuery(turns: Turn[]): string | undefined {
  const previews = turns.flatMap((t) => exchangesOf(t, 'preview_sql')).filter((e) => e.ok);
  const sql = previews.at(-1)?.call.arguments.sql;
  return typeof sql === 'string' ? sql : undefined;
}

function clarify(ctx: PlanContext, question: string): Plan {
  const tables = (ctx.knowledge.tables ?? []).map((t) => t.name).join(', ');
  const tail = ctx.fast ? '' : ' (Start the message with FAST: and I will pick the best guess instead of asking.)';
  return { text: `${question}\nTables: ${tables}.${tail}\n\n${nextActions(['export table <name> to csv', 'find <name>', 'SQL: SELECT ...'])}` };
}

export function planExport(ctx: PlanContext, request: ExportRequest): Plan {
  const tables = needTables(ctx);
  if (tables) return tables;
  const connection = ctx.knowledge.connection ?? '';
  const family = familyOf(connection);
  const named = namedTable(request.subject, (ctx.knowledge.tables ?? []).map((t) => t.name));
  const pronoun = PRONOUN.test(request.subject);
  const entity = pronoun ? lastEntity(ctx.earlier) : undefined;

  if (entity || request.average) {
    const details = needDetails(ctx, tablesFirst(ctx, [entity?.table, named].filter((t): t is string => t !== undefined)));
    if (details) return details;
  }

  let source: Source;
  if (entity) {
    const resolved = entitySource(ctx, entity, named, family);
    if ('text' in resolved) return resolved;
    source = resolved;
  } else if (named && (!pronoun || ctx.fast)) {
    source = { table: named };
  } else if (pronoun && named) {
    return clarify(ctx, `Whose ${named}? I have not found anyone in this conversation yet: find them first (e.g. "find <name>"), or say "export table ${named} to ${request.format}" for all of them.`);
  } else {
    const sql = RESULT.test(request.subject) || ctx.fast ? lastQuery([...ctx.earlier, ctx.turn]) : undefined;
    if (!sql) return clarify(ctx, 'What should I export? Name a table, or preview a query first with "SQL: ..." and then say "export this to csv".');
    source = { sql };
  }

  let average: Average | undefined;
  if (request.average) {
    if (!('table' in source)) return { text: `An average needs a table to group by; export the query as it is ("export this to ${request.format}"), or compute the average in the SQL.` };
    const wanted = request.average.toLowerCase().replace(/\s+/g, '_');
    const candidates = averageCandidates(ctx.knowledge, source.table);
    average = candidates.find((c) => c.column.toLowerCase() === wanted) ?? candidates.find((c) => c.column.toLowerCase().includes(wanted));
    if (!average) {
      const known = candidates.map((c) => `${c.table}.${c.column}`).join(', ') || 'none';
      return { text: `I found no numeric column like "${request.average}" in the tables that reference ${source.table} (candidates: ${known}). Which column should I average?` };
    }
  }

  const proposal = exchangesOf(ctx.turn, 'propose_pipeline').at(-1);
  if (!proposal) return call('propose_pipeline', { oml: buildOml(ctx, connection, request.format, source, average) });
  const oml = String(proposal.call.arguments.oml);
  return proposal.ok ? { text: proposedText(proposal.content as ProposeContent, oml, request.format), shows: ['pipeline'] } : { text: rejectedText(proposal.content, oml) };
}

function entitySource(ctx: PlanContext, entity: Entity, named: string | undefined, family: string): Source | { text: string } {
  if (named === entity.table) {
    const key = ctx.knowledge.details.get(entity.table)?.primaryKey ?? [];
    const columns = key.length > 0 && key.every((k) => k in entity.row) ? key : [entity.column];
    return { table: entity.table, where: keyCondition(columns, columns.map((c) => entity.row[c] ?? null), family), label: entity.label };
  }
  const relations = relationsOf(ctx.knowledge, entity);
  const relation = named ? relations.find((r) => r.table === named) : relations[0];
  if (!relation) {
    const options = relations.map((r) => r.table).join(', ') || 'none';
    return { text: `No foreign key links ${named ?? 'any table'} to ${entity.table} ("${entity.label}"); tables that reference it: ${options}.` };
  }
  return { table: relation.table, where: keyCondition(relation.columns, relation.values, family), label: entity.label };
}

function buildOml(ctx: PlanContext, connection: string, format: Format, source: Source, average: Average | undefined): string {
  const family = familyOf(connection);
  const extractor = `${family}.extractor`;
  const q = (name: string) => quoteIdent(name, family);
  const name = 'sql' in source ? slug('query', 'result') : slug(source.label ?? '', source.table, average ? `avg ${average.column}` : '');

  const mainId = `extract-${slug('sql' in source ? 'query' : source.table)}`;
  const mainConfig =
    'sql' in source
      ? { connection, query: source.sql }
      : source.where === undefined
        ? { connection, table: source.table }
        : { connection, query: `SELECT * FROM ${q(source.table)} WHERE ${source.where}` };
  const steps: Record<string, unknown>[] = [{ id: mainId, component: extractor, mode: 'read', config: mainConfig }];
  let last = mainId;

  if (average && 'table' in source) {
    const detailId = `extract-${slug(average.table)}${average.table === source.table ? '-2' : ''}`;
    const fkList = average.fkColumns.map(q).join(', ');
    // Read only the rows that join to the exported ones when the key is a single column.
    const filter =
      source.where !== undefined && average.fkColumns.length === 1
        ? ` WHERE ${q(average.fkColumns[0]!)} IN (SELECT ${q(average.refColumns[0]!)} FROM ${q(source.table)} WHERE ${source.where})`
        : '';
    steps.push({ id: detailId, component: extractor, mode: 'read', needs: [], config: { connection, query: `SELECT ${fkList}, ${q(average.column)} FROM ${q(average.table)}${filter}` } });

    const d = (column: string) => quoteIdent(column, 'duckdb');
    const columns = ctx.knowledge.details.get(source.table)?.columns.map((c) => `s.${d(c.name)}`) ?? [];
    const on = average.fkColumns.map((fk, i) => `a.${d(fk)} = s.${d(average.refColumns[i]!)}`).join(' AND ');
    const key = ctx.knowledge.details.get(source.table)?.primaryKey.map((k) => `s.${d(k)}`) ?? [];
    const query = [
      `SELECT ${columns.join(', ')}, AVG(a.${d(average.column)}) AS ${d(`avg_${average.column}`)}`,
      `FROM ${outputTableName(mainId)} AS s LEFT JOIN ${outputTableName(detailId)} AS a ON ${on}`,
      `GROUP BY ${columns.join(', ')}`,
      `ORDER BY ${(key.length > 0 ? key : columns.slice(0, 1)).join(', ')}`,
    ].join('\n');
    const averageId = `average-${slug(average.column)}`;
    steps.push({ id: averageId, component: 'duckdb.processor', mode: 'transform', needs: [mainId, detailId], config: { query } });
    last = averageId;
  }

  steps.push({ id: `write-${format}`, component: `filesystem.${format}_writer`, mode: 'write', needs: [last], config: { path: `${name}.${format}` } });
  return stringify({ oml_version: '0.1.0', name, steps }, { lineWidth: 0 });
}

function proposedText(content: ProposeContent, oml: string, format: Format): string {
  const warnings = content.warnings.length > 0 ? `\n\nWarnings:\n${bullets(content.warnings.map((w) => `${w.path || '(document)'}: ${w.message} (${w.hint})`))}` : '';
  return [
    `I propose the pipeline \`${content.name}\` (fingerprint ${content.fingerprint}). It writes \`${content.name}.${format}\` in the output directory:`,
    ...replacedLines(content),
    `\`\`\`yaml\n${oml.trimEnd()}\n\`\`\`${warnings}`,
    'Nothing has run yet. To run it, send `approve` (or run `osiris approve SESSION`); to drop it, send `reject <reason>`.',
  ].join('\n\n');
}

/** Files approving would overwrite: said with the proposal, never done silently. */
export function replacedLines(content: ProposeContent): string[] {
  return (content.existingOutputs ?? []).map((file) =>
    file.writtenBy === content.name
      ? `\`${file.path}\` already exists: an earlier run of this pipeline wrote it, and approving writes it again.`
      : `Careful: \`${file.path}\` already exists${file.writtenBy === undefined ? ' (no run log says which pipeline wrote it)' : `, written by the pipeline \`${file.writtenBy}\``}, and approving this pipeline REPLACES it. To keep it, reject this one and ask again with another file name ("... to another_name.csv").`,
  );
}

export function rejectedText(content: unknown, oml: string): string {
  const error = isErrorContent(content) ? content : ({ error: String(content) } satisfies ErrorContent);
  const problems = (error.problems ?? []).map((p) => `${p.path || '(document)'}${p.line === undefined ? '' : ` (line ${p.line})`}: ${p.message}. Fix: ${p.hint}`);
  return [`The pipeline I built does not validate: ${error.error}`, problems.length > 0 ? bullets(problems) : (error.hint ?? ''), `\`\`\`yaml\n${oml.trimEnd()}\n\`\`\``].join('\n\n');
}
