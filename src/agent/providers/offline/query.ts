/**
 * Ordinary requests ("export the titles of Drama movies released after 2015 to parquet", "how many
 * films per genre?"): discover the schema, parse the request into an intent, look up the values it
 * names with search_data, build one SELECT, then preview it or propose it as a pipeline. Every word
 * that carried meaning is either in the query or named in the reply; without FAST: it asks instead.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { ProposeContent, RowsContent } from '../../tool-content.js';
import { exchangesOf, isErrorContent } from './conversation.js';
import { lastEntity } from './find.js';
import { parseIntent } from './intent.js';
import type { Intent } from './intent-types.js';
import { errorText, needDetails, needTables, nextActions, tablesFirst, type Plan, type PlanContext } from './plan.js';
import { SchemaModel } from './schema-model.js';
import { buildSql, SqlBuildError } from './sql-builder.js';
import { tokenize } from './intent-lexicon.js';
import { bullets, familyOf, markdownTable, plural, slug } from './text.js';
import { fold } from './words.js';
import { rejectedText, replacedLines } from './export.js';
import { searchValues } from './values.js';

type Format = 'csv' | 'parquet' | 'json';

const FORMAT = /\b(?:(?:to|as|into|in)\s+(?:an?\s+)?)?(csv|parquet|json)(?:\s+files?)?\b/i;
const FILE_NAME = /\b(?:to|as|into|named|called)\s+[`"']?([\w.-]+)\.(csv|parquet|json)\b[`"']?/i;
const EXPORT_VERB = /^\s*(?:export|save|write|copy|dump|download|extract|store)\b/i;

export interface QueryRequest {
  /** Set when the request writes a file. */
  format?: Format;
  /** A file name the request gave ("to top_films.csv"), without extension. */
  fileName?: string;
  /** The request without the format clause. */
  text: string;
}

export function queryRequest(text: string): QueryRequest {
  const file = FILE_NAME.exec(text);
  if (file) return { format: file[2]!.toLowerCase() as Format, fileName: file[1], text: text.replace(file[0], ' ') };
  const format = FORMAT.exec(text);
  if (format || EXPORT_VERB.test(text)) return { format: (format?.[1]?.toLowerCase() ?? 'csv') as Format, text: format ? text.replace(format[0], ' ') : text };
  return { text };
}

/** The schema known so far, with the qualifier values seen in link-table samples. */
function schemaOf(ctx: PlanContext): SchemaModel {
  const model = new SchemaModel(ctx.knowledge.details.values());
  for (const exchange of [...ctx.earlier, ctx.turn].flatMap((t) => exchangesOf(t, 'sample_rows'))) {
    if (!exchange.ok) continue;
    const rows = exchange.content as RowsContent;
    const table = rows.table && model.table(rows.table);
    if (!table) continue;
    for (const column of table.qualifiers) {
      const index = rows.columns.indexOf(column);
      const values = [...new Set(rows.rows.map((r) => r[index]).filter((v): v is string => typeof v === 'string'))];
      model.qualifierValues.set(`${table.name}\u0000${column}`, values);
    }
  }
  return model;
}

/** Link tables with qualifier columns not sampled yet in this conversation. */
function needQualifierSamples(ctx: PlanContext, model: SchemaModel): Plan | undefined {
  const sampled = new Set([...ctx.earlier, ctx.turn].flatMap((t) => exchangesOf(t, 'sample_rows')).map((e) => String(e.call.arguments.table)));
  const missing = [...model.tables.values()].filter((t) => t.qualifiers.length > 0 && !sampled.has(t.name));
  return missing.length === 0 ? undefined : { calls: missing.map((t) => ({ name: 'sample_rows', arguments: { table: t.name, limit: 100 } })) };
}

/**
 * Plans an ordinary request; undefined when nothing in it names a table or column (so another
 * intent, or the "cannot handle" answer, applies).
 */
export function planQuery(ctx: PlanContext, request: QueryRequest): Plan | undefined {
  const tables = needTables(ctx);
  if (tables) return tables;
  const details = needDetails(ctx, tablesFirst(ctx, []));
  if (details) return details;
  const model = schemaOf(ctx);
  const samples = needQualifierSamples(ctx, model);
  if (samples) return samples;

  let intent = parseIntent(request.text, model);
  if (!intent.base) return undefined;
  let searched = searchValues(ctx, model, intent);
  if ('calls' in searched || 'text' in searched) return searched;
  // "first and last names of all nurses": the subject is the table among the options where a value was found.
  const options = intent.subjectOptions ?? [];
  const exactly = searched.resolved.exactTables;
  const found = exactly.includes(intent.base) ? undefined : exactly.find((t) => t !== intent.base && options.includes(t));
  if (found) {
    intent = parseIntent(request.text, model, found);
    searched = searchValues(ctx, model, intent);
    if ('calls' in searched || 'text' in searched) return searched;
  }
  const { resolved } = searched;
  if (intent.pronounTable || intent.pronoun) {
    const entity = lastEntity(ctx.earlier);
    const key = entity && model.table(entity.table)?.primaryKey;
    if (entity && key && key.length > 0 && key.every((k) => k in entity.row)) {
      for (const k of key) resolved.equalities.push({ column: { table: entity.table, column: k }, value: entity.row[k] ?? null });
    } else if (!ctx.fast) {
      return { text: `Whose ${intent.pronounTable ?? intent.base}? I have not found anyone in this conversation yet: find them first (e.g. "find <name>").` };
    } else {
      intent.unplaced.push('a pronoun (nothing was found earlier in this conversation)');
    }
  }
  const unused = [...intent.unplaced, ...resolved.notFound];

  if (!ctx.fast && resolved.ambiguous.length > 0) {
    const lines = resolved.ambiguous.map((a) => `"${a.phrase}" could be: ${a.candidates.join('; ')}`);
    return { text: `Which one do you mean?\n${bullets(lines)}\n\nSay it more precisely (the whole value), or start the message with FAST: and I will take the first.` };
  }
  if (!ctx.fast && unused.length > 0) {
    return {
      text: `I understood the request except ${unused.map((w) => `"${w}"`).join(', ')}: I found no column, table or value for ${unused.length === 1 ? 'it' : 'them'}, and I will not build a query that ignores part of what you asked.\nRephrase with column names (\`describe ${intent.base}\`), or start the message with FAST: to go ahead without ${unused.length === 1 ? 'it' : 'them'}.`,
    };
  }

  const family = familyOf(ctx.knowledge.connection ?? '');
  let sql: string;
  try {
    sql = buildSql(model, { intent, equalities: resolved.equalities, family, words: new Set(tokenize(request.text).map((t) => t.low)) });
  } catch (err) {
    if (!(err instanceof SqlBuildError)) throw err;
    return { text: `I could not build a query for this: ${err.message}. Try naming the tables and columns, or send "SQL: SELECT ...".` };
  }
  const notes = [
    ...(intent.notes.length > 0 ? [`I read it as: ${intent.notes.join('; ')}.`] : []),
    ...resolved.picked.map((p) => `I picked ${p}.`),
    ...(unused.length > 0 ? [`Not used (I could not place them): ${unused.map((w) => `"${w}"`).join(', ')}.`] : []),
  ];
  return request.format ? proposeExport(ctx, sql, request, intent, notes) : previewQuery(ctx, sql, notes);
}

/** Longest pipeline name kept whole; longer ones end with a hash of the whole request, so they never collide. */
const NAME_CHARS = 48;

function requestName(text: string): string {
  const words = text.replace(EXPORT_VERB, '').replace(/\b(?:the|a|an|of|to|all|every)\b/gi, ' ');
  const full = slug(words);
  if (full.length <= NAME_CHARS && !/-$/.test(full)) return full;
  const hash = createHash('sha256').update(fold(words).replace(/\s+/g, ' ').trim()).digest('hex').slice(0, 8);
  return `${full.slice(0, NAME_CHARS).replace(/-+$/, '')}-${hash}`;
}

function previewQuery(ctx: PlanContext, sql: string, notes: string[]): Plan {
  const done = exchangesOf(ctx.turn, 'preview_sql').find((e) => e.call.arguments.sql === sql);
  if (!done) return { calls: [{ name: 'preview_sql', arguments: { sql } }] };
  if (!done.ok) return { text: `${isErrorContent(done.content) ? errorText(done.content, 'The query I built failed') : String(done.content)}\n\n\`\`\`sql\n${sql}\n\`\`\`` };
  const rows = done.content as RowsContent;
  const count = rows.truncated ? `the first ${plural(rows.rows.length, 'row')} (more exist)` : plural(rows.rows.length, 'row');
  return {
    text: [`\`\`\`sql\n${sql}\n\`\`\``, `${count}:`, markdownTable(rows.columns, rows.rows), ...notes, nextActions(['export this to csv', 'export this to parquet'])].join('\n\n'),
    shows: ['rows'],
  };
}

function proposeExport(ctx: PlanContext, sql: string, request: QueryRequest, intent: Intent, notes: string[]): Plan {
  const connection = ctx.knowledge.connection ?? '';
  const family = familyOf(connection);
  // The name says what is exported: two different requests never share a pipeline (or a file) name.
  const name = request.fileName ? slug(request.fileName) : requestName(request.text);
  const format = request.format!;
  const extract = `extract-${slug(intent.base ?? 'query')}`;
  const oml = stringify(
    {
      oml_version: '0.1.0',
      name,
      steps: [
        { id: extract, component: `${family}.extractor`, mode: 'read', config: { connection, query: sql } },
        { id: `write-${format}`, component: `filesystem.${format}_writer`, mode: 'write', needs: [extract], config: { path: `${name}.${format}` } },
      ],
    },
    { lineWidth: 0 },
  );
  const proposal = exchangesOf(ctx.turn, 'propose_pipeline').at(-1);
  if (!proposal) return { calls: [{ name: 'propose_pipeline', arguments: { oml } }] };
  if (!proposal.ok) return { text: rejectedText(proposal.content, String(proposal.call.arguments.oml)) };
  const content = proposal.content as ProposeContent;
  const preview = content.preview ? [`First rows (${content.preview.step}):`, markdownTable(content.preview.columns, content.preview.rows, 5)] : [];
  return {
    text: [
      `I propose the pipeline \`${content.name}\` (fingerprint ${content.fingerprint}). It writes \`${name}.${format}\` in the output directory:`,
      ...replacedLines(content),
      `\`\`\`yaml\n${String(proposal.call.arguments.oml).trimEnd()}\n\`\`\``,
      ...preview,
      ...notes,
      'Nothing has run yet. To run it, send `approve` (or run `osiris approve SESSION`); to drop it, send `reject <reason>`.',
    ].join('\n\n'),
    shows: content.preview ? ['pipeline', 'rows'] : ['pipeline'],
  };
}
