/**
 * find / search / look up: discover the tables, search every text column for the term, describe the
 * tables needed to follow foreign keys, preview the rows that reference the hit, then answer.
 */
import { foldText, type JsonValue, type SearchHit } from '../../../connectors/discovery.js';
import type { RowsContent, SearchContent } from '../../tool-content.js';
import { exchangesOf, isErrorContent, referencing, type Knowledge, type Turn } from './conversation.js';
import { parseModes } from '../../directives.js';
import { call, errorText, needDetails, needTables, nextActions, tablesFirst, type Plan, type PlanContext } from './plan.js';
import { SchemaModel } from './schema-model.js';
import { splitCells } from './values.js';
import { bullets, familyOf, isNumericType, keyCondition, labelColumn, quoteIdent, rowLabel, sqlLiteral } from './text.js';

const FIND = /^(?:find|search(?:\s+for)?|look\s*up|who\s+is|who's|where\s+is)\s+(.+?)[\s?.!]*$/i;
/** Words naming what kind of thing is sought ("director Ava DuVernay"): tried without them when the phrase has no hit. */
const ROLE_WORDS = /^(?:the\s+|a\s+|an\s+)?(director|actor|actress|movie|film|customer|user|person|product|employee|author|book|artist|album|song|company|order|supplier|city|country)s?\s+(.+)$/i;
/** Related tables previewed per find. */
const MAX_RELATIONS = 3;

export interface FindTerms {
  full: string;
  withoutRole?: string;
  role?: string;
}

export function findTerms(message: string): FindTerms | undefined {
  const phrase = FIND.exec(parseModes(message).text)?.[1];
  if (phrase === undefined) return undefined;
  const full = phrase.replace(/^["'“”‘’]+|["'“”‘’]+$/g, '').trim();
  const role = ROLE_WORDS.exec(full);
  if (role) return { full, role: role[1]!.toLowerCase(), withoutRole: role[2]!.replace(/^["'“”]+|["'“”]+$/g, '') };
  // "the Neurology department": the kind named after the value, behind an article.
  const trailing = /^(?:the|a|an)\s+(.+?)\s+(\S+)$/i.exec(full);
  if (trailing) return { full, role: trailing[2]!.toLowerCase(), withoutRole: trailing[1]! };
  // Any first word may name the kind of thing ("category Kitchen"): tried without it when the whole phrase has no hit.
  const rest = /^\S+\s+(.+)$/.exec(full)?.[1];
  return rest ? { full, role: full.split(/\s+/)[0]!.toLowerCase(), withoutRole: rest } : { full };
}

/** The row found: the hit row, its table, and what to call it. */
export interface Entity {
  table: string;
  column: string;
  row: Record<string, JsonValue>;
  label: string;
}

function searches(turn: Turn) {
  return exchangesOf(turn, 'search_data');
}

/**
 * The hits of this turn's searches that hold what was asked: the phrase in one cell, or ("PENELOPE GUINESS"
 * as first_name and last_name) spelled over the cells of one row, found by searching its last word.
 */
function hitsOf(turn: Turn, terms: FindTerms | undefined = findTerms(turn.userText)): SearchHit[] {
  const hits = searches(turn).flatMap((e) => (e.ok ? (e.content as SearchContent).hits : []));
  if (!terms) return hits;
  const wanted = [terms.full, terms.withoutRole].filter((t): t is string => t !== undefined);
  return hits.filter((h) => wanted.some((w) => foldText(String(h.row[h.column] ?? '')).includes(foldText(w)) || splitCells(h, w) !== undefined));
}

/** The last word of a name that may be stored over two cells ("PENELOPE GUINESS" -> "GUINESS"), if it has several. */
function lastWordOf(terms: FindTerms): string | undefined {
  const words = (terms.withoutRole ?? terms.full).trim().split(/\s+/);
  return words.length > 1 ? words.at(-1) : undefined;
}

/** Prefers a hit in the table the role word names, then an exact value match, then a prefix match. */
function chooseHit(hits: SearchHit[], terms: FindTerms): SearchHit | undefined {
  const wanted = [terms.full, terms.withoutRole].filter((t): t is string => t !== undefined).map((t) => t.toLowerCase());
  const score = (hit: SearchHit): number => {
    const value = String(hit.row[hit.column] ?? '').toLowerCase();
    let points = 0;
    if (terms.role && hit.table.toLowerCase().includes(terms.role)) points += 4;
    if (wanted.includes(value)) points += 2;
    else if (wanted.some((w) => value.startsWith(w))) points += 1;
    return points;
  };
  return hits.reduce<SearchHit | undefined>((best, hit) => (best === undefined || score(hit) > score(best) ? hit : best), undefined);
}

/** Hits with different values, when none is the term itself (case and accents aside): "find Lady". */
function ambiguousHits(hits: SearchHit[], terms: FindTerms): SearchHit[] {
  const wanted = [terms.full, terms.withoutRole].filter((t): t is string => t !== undefined).map(foldText);
  if (hits.some((h) => wanted.includes(foldText(String(h.row[h.column] ?? ''))))) return [];
  const seen = new Set<string>();
  return hits.filter((h) => {
    const key = `${h.table}.${h.column}=${String(h.row[h.column])}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).slice(0, 8);
}

export function entityOf(turn: Turn): Entity | undefined {
  const terms = findTerms(turn.userText);
  const hit = terms && chooseHit(hitsOf(turn), terms);
  if (!hit) return undefined;
  const columns = Object.keys(hit.row);
  const values = Object.values(hit.row);
  const index = labelColumn(columns, values);
  return { table: hit.table, column: hit.column, row: hit.row, label: String(index >= 0 ? values[index] : hit.row[hit.column]) };
}

/** The row a pronoun (her, his, their, its) refers to: the one found most recently. */
export function lastEntity(turns: Turn[]): Entity | undefined {
  for (const turn of [...turns].reverse()) {
    const entity = entityOf(turn);
    if (entity) return entity;
  }
  return undefined;
}

export interface Relation {
  table: string;
  columns: string[];
  values: JsonValue[];
  sql: string;
  /** Reached through this link table: the rows are the other side's, named by label (and qualifier). */
  via?: string;
}

/**
 * The relations a find shows: rows referencing the entity, but through a link table the rows on its
 * other side, by their label with the link's qualifier ("Selma (director)"), never the link rows.
 */
function shownRelations(knowledge: Knowledge, entity: Entity): Relation[] {
  const model = new SchemaModel(knowledge.details.values());
  const family = familyOf(knowledge.connection ?? '');
  const q = (name: string) => quoteIdent(name, family);
  return relationsOf(knowledge, entity).map((relation) => {
    const link = model.table(relation.table);
    if (!link?.link) return relation;
    const other = link.foreignKeys.find((fk) => fk.columns.join() !== relation.columns.join());
    const target = other && model.table(other.refTable);
    if (!other || !target?.label) return relation;
    const columns = [`o.${q(target.label)}`, ...link.qualifiers.map((c) => `l.${q(c)}`)];
    const on = other.columns.map((c, i) => `o.${q(other.refColumns[i]!)} = l.${q(c)}`).join(' AND ');
    const where = relation.columns.map((c, i) => `l.${q(c)} = ${sqlLiteral(relation.values[i] ?? null)}`).join(' AND ');
    return { ...relation, table: target.name, via: link.name, sql: `SELECT ${columns.join(', ')} FROM ${q(link.name)} l JOIN ${q(target.name)} o ON ${on} WHERE ${where}` };
  });
}

/** Rows referencing the entity, one query per foreign key pointing at its table. */
export function relationsOf(knowledge: Knowledge, entity: Entity): Relation[] {
  const family = familyOf(knowledge.connection ?? '');
  return referencing(knowledge, entity.table).flatMap((fk) => {
    const values = fk.refColumns.map((c) => entity.row[c]);
    if (values.some((v) => v === undefined || v === null)) return [];
    const known = values as JsonValue[];
    return [{ table: fk.table, columns: fk.columns, values: known, sql: `SELECT * FROM ${quoteIdent(fk.table, family)} WHERE ${keyCondition(fk.columns, known, family)}` }];
  });
}

/** Numeric, non-key columns of tables that reference `table`: what "with their average X" can mean. */
export function averageCandidates(knowledge: Knowledge, table: string): { table: string; column: string; fkColumns: string[]; refColumns: string[] }[] {
  return referencing(knowledge, table).flatMap((fk) => {
    const detail = knowledge.details.get(fk.table);
    if (!detail) return [];
    const keys = new Set([...detail.primaryKey, ...detail.foreignKeys.flatMap((f) => f.columns)]);
    return detail.columns.filter((c) => isNumericType(c) && !keys.has(c.name)).map((c) => ({ table: fk.table, column: c.name, fkColumns: fk.columns, refColumns: fk.refColumns }));
  });
}

export function planFind(ctx: PlanContext, terms: FindTerms): Plan {
  const tables = needTables(ctx);
  if (tables) return tables;

  const done = searches(ctx.turn);
  const failed = done.find((e) => !e.ok);
  if (failed && isErrorContent(failed.content)) return { text: errorText(failed.content, `Searching for "${terms.full}" failed`) };
  const entity = entityOf(ctx.turn);
  if (!entity) {
    if (done.length === 0) return call('search_data', { term: terms.full });
    if (done.length === 1 && terms.withoutRole) return call('search_data', { term: terms.withoutRole });
    const last = lastWordOf(terms);
    if (last !== undefined && !done.some((e) => e.call.arguments.term === last)) return call('search_data', { term: last });
    const names = (ctx.knowledge.tables ?? []).map((t) => t.name).join(', ');
    const tried = [terms.full, terms.withoutRole].filter(Boolean).map((t) => `"${t}"`).join(' or ');
    return { text: `I found no row containing ${tried} in any text column of ${names}.\n\n${nextActions(['list tables', 'find <a shorter part of the name>', 'SQL: SELECT ...'])}` };
  }

  const candidates = ambiguousHits(hitsOf(ctx.turn), terms);
  if (candidates.length > 1 && !ctx.fast) {
    return {
      text: `Several rows match "${terms.withoutRole ?? terms.full}", none exactly. Which one?\n${bullets(candidates.map((h) => `${h.table}.${h.column}: "${String(h.row[h.column])}"`))}\n\nSay "find <the whole value>", or start with FAST: and I will take the first.`,
    };
  }

  const details = needDetails(ctx, tablesFirst(ctx, [entity.table]));
  if (details) return details;
  const relations = shownRelations(ctx.knowledge, entity).slice(0, MAX_RELATIONS);
  const previews = exchangesOf(ctx.turn, 'preview_sql');
  if (relations.length > 0 && previews.length === 0) return { calls: relations.map((r) => ({ name: 'preview_sql', arguments: { sql: r.sql } })) };
  return { text: findReply(ctx, entity, relations) };
}

function findReply(ctx: PlanContext, entity: Entity, relations: Relation[]): string {
  const family = familyOf(ctx.knowledge.connection ?? '');
  const parts = [`Found "${entity.label}" in table \`${entity.table}\` (column \`${entity.column}\`):\n${bullets(Object.entries(entity.row).map(([k, v]) => `${k}: ${v === null ? '(null)' : String(v)}`))}`];

  const related: string[] = [];
  for (const relation of relations) {
    const preview = exchangesOf(ctx.turn, 'preview_sql').find((e) => e.call.arguments.sql === relation.sql);
    if (!preview?.ok) continue;
    const rows = preview.content as RowsContent;
    const labels = relation.via
      ? rows.rows.map((row) => (row.length > 1 ? `${String(row[0])} (${row.slice(1).map(String).join(', ')})` : String(row[0])))
      : rows.rows.map((row) => rowLabel(rows.columns, row));
    const more = rows.truncated ? ', and more' : '';
    const how = relation.via ? `via ${relation.via}` : keyCondition(relation.columns, relation.values, family);
    related.push(`${relation.table} (${how}): ${labels.join(', ') || '(none)'}${more}`);
  }
  if (related.length > 0) parts.push(`Related rows, following foreign keys:\n${bullets(related)}`);

  const others = hitsOf(ctx.turn).filter((h) => h.table !== entity.table || JSON.stringify(h.row) !== JSON.stringify(entity.row));
  if (others.length > 0) {
    const picked = ambiguousHits(hitsOf(ctx.turn), findTerms(ctx.turn.userText) ?? { full: entity.label }).length > 1 ? 'Several rows match and none exactly: I picked the one above (FAST:). ' : '';
    parts.push(`${picked}Also matching: ${others.slice(0, 3).map((h) => `${h.table}.${h.column} "${String(h.row[h.column])}"`).join(', ')}`);
  }

  const actions: string[] = [];
  const first = relations[0];
  if (first) {
    const average = averageCandidates(ctx.knowledge, first.table)[0];
    actions.push(average ? `export their ${first.table} with their average ${average.column} to csv` : `export their ${first.table} to csv`);
    actions.push(`SQL: ${first.sql}`);
  } else {
    actions.push(`export table ${entity.table} to csv`);
  }
  parts.push(nextActions(actions));
  return parts.join('\n\n');
}
