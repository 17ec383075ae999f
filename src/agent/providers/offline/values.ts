/**
 * The values a request names ("Drama", "Grace Okafor", "antibiotics"): the searches they still need (in the
 * subject's tables first, then everywhere, then in singular, then by their last word), and which column of
 * which table holds each, as equalities for the query.
 */
import type { JsonValue, SearchHit } from '../../../connectors/discovery.js';
import type { SearchContent } from '../../tool-content.js';
import { exchangesOf, isErrorContent, type Turn } from './conversation.js';
import type { Intent, ValuePhrase } from './intent-types.js';
import { errorText, type Plan, type PlanContext } from './plan.js';
import type { SchemaModel } from './schema-model.js';
import type { Equality } from './sql-builder.js';
import { otherNationalForm } from './demonyms.js';
import { fold, singular } from './words.js';

export interface Resolved {
  equalities: Equality[];
  /** Phrases with several plausible matches: the candidates, best first. */
  ambiguous: { phrase: string; candidates: string[] }[];
  notFound: string[];
  /** FAST: what was picked for an ambiguous phrase. */
  picked: string[];
  /** Every table holding a value of the request exactly, picked or not. */
  exactTables: string[];
}

/** The hits of the search for `term` in `table` (or in every table) made in this turn; undefined if not made yet. */
function hitsFor(turn: Turn, term: string, table?: string): SearchHit[] | undefined {
  const done = exchangesOf(turn, 'search_data').find((e) => {
    const tables = e.call.arguments.tables as string[] | undefined;
    return e.call.arguments.term === term && (table === undefined ? tables === undefined : tables?.length === 1 && tables[0] === table);
  });
  if (!done) return undefined;
  return done.ok ? (done.content as SearchContent).hits : [];
}

/** The words of a text, folded and singular: "Antibiotics" and "antibiotic", "nurses" and "nurse" are the same words. */
const wordsOf = (text: string) => fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean).map((w) => singular(w).replace(/(?<=..)e$/, ''));

/** A hit whose cell is the phrase, or holds it as whole words, or whose row spells it over several cells. */
function matches(hit: SearchHit, phrase: string): boolean {
  const wanted = wordsOf(phrase).join(' ');
  return ` ${wordsOf(String(hit.row[hit.column] ?? '')).join(' ')} `.includes(` ${wanted} `) || splitCells(hit, phrase) !== undefined;
}

/**
 * "Grace Okafor" stored as first_name 'Grace' and last_name 'Okafor': the cells of the hit's row that, in the
 * phrase's order, spell exactly its words (the hit's own cell among them); undefined when the row does not.
 */
export function splitCells(hit: SearchHit, phrase: string): { column: string; value: JsonValue }[] | undefined {
  const wanted = wordsOf(phrase);
  if (wanted.length < 2) return undefined;
  const parts: { column: string; value: JsonValue; at: number; words: string[] }[] = [];
  for (const [column, value] of Object.entries(hit.row)) {
    const words = typeof value === 'string' ? wordsOf(value) : [];
    const at = words.length > 0 && words.length < wanted.length ? wanted.findIndex((_, k) => words.every((w, j) => wanted[k + j] === w)) : -1;
    if (at >= 0 && !parts.some((p) => p.at === at)) parts.push({ column, value, at, words });
  }
  parts.sort((a, b) => a.at - b.at);
  const spelled = parts.flatMap((p) => p.words).join(' ') === wanted.join(' ') && parts.every((p, k) => k === 0 || p.at === parts[k - 1]!.at + parts[k - 1]!.words.length);
  return spelled && parts.some((p) => p.column === hit.column) ? parts.map(({ column, value }) => ({ column, value })) : undefined;
}

/** What to search for a phrase: itself, then ("antibiotics" stored as "antibiotic") with its last word singular. */
function termsOf(text: string): string[] {
  const single = text.replace(/\p{L}+$/u, (word) => singular(word));
  // "Grace Okafor" may be two cells of one row: its last word finds the row, `splitCells` checks the rest.
  const last = /\s/.test(text.trim()) ? text.trim().split(/\s+/).at(-1)! : text;
  return [...new Set([text, single, last])];
}

/**
 * The tables a phrase is first searched in: the table named with it, else the subject and the tables that could
 * be it, since a search over every table is capped and may not reach them.
 */
function scopesOf(intent: Intent, phrase: ValuePhrase): string[] {
  if (phrase.tableHint) return [phrase.tableHint];
  return [...new Set([intent.base ?? [], intent.subjectOptions ?? []].flat())];
}

/** A phrase as written, then as the data may spell it instead ("Swedish" stored as 'Sweden'). */
function spellingsOf(phrase: ValuePhrase): ValuePhrase[] {
  const other = otherNationalForm(phrase.text);
  return other === undefined ? [phrase] : [phrase, { ...phrase, text: other }];
}

/** The search still needed for a phrase: in its scopes, then everywhere; then the same for its singular, then its other spelling. */
function nextSearch(ctx: PlanContext, intent: Intent, phrase: ValuePhrase): { term: string; tables?: string[] } | undefined {
  for (const spelling of spellingsOf(phrase)) {
    for (const term of termsOf(spelling.text)) {
      const scoped = scopesOf(intent, spelling).map((scope) => ({ scope, hits: hitsFor(ctx.turn, term, scope) }));
      const missing = scoped.find((x) => x.hits === undefined);
      if (missing) return { term, tables: [missing.scope] };
      if (scoped.some((x) => x.hits!.some((h) => matches(h, spelling.text)))) return undefined;
      const everywhere = hitsFor(ctx.turn, term);
      if (everywhere === undefined) return { term };
      if (everywhere.some((h) => matches(h, spelling.text))) return undefined;
    }
  }
  return undefined;
}

/** The hits holding the phrase, and the spelling they hold it in. */
function hitsOfPhrase(ctx: PlanContext, intent: Intent, phrase: ValuePhrase): { hits: SearchHit[]; spelling: string } {
  for (const spelling of spellingsOf(phrase)) {
    for (const term of termsOf(spelling.text)) {
      const scoped = scopesOf(intent, spelling).flatMap((scope) => hitsFor(ctx.turn, term, scope) ?? []);
      if (scoped.some((h) => matches(h, spelling.text))) return { hits: scoped, spelling: spelling.text };
      const everywhere = hitsFor(ctx.turn, term) ?? [];
      if (everywhere.some((h) => matches(h, spelling.text))) return { hits: everywhere, spelling: spelling.text };
    }
  }
  return { hits: hitsFor(ctx.turn, phrase.text) ?? [], spelling: phrase.text };
}

/** Chooses, for each value phrase, the column holding it: an exact (case- and accent-insensitive) value first. */
function resolveValues(ctx: PlanContext, model: SchemaModel, intent: Intent): Resolved {
  const out: Resolved = { equalities: [], ambiguous: [], notFound: [], picked: [], exactTables: [] };
  for (const phrase of intent.values) {
    const { hits, spelling } = hitsOfPhrase(ctx, intent, phrase);
    const wanted = wordsOf(spelling).join(' ');
    const cells = new Map<string, { table: string; column: string; value: JsonValue; exact: boolean }>();
    for (const hit of hits) {
      const value = hit.row[hit.column] ?? null;
      const words = wordsOf(String(value)).join(' ');
      const exact = words === wanted;
      const whole = ` ${words} `.includes(` ${wanted} `);
      if (!exact && !whole) continue;
      cells.set(`${hit.table}.${hit.column}=${String(value)}`, { table: hit.table, column: hit.column, value, exact });
    }
    const all = [...cells.values()];
    const split = hits.flatMap((hit) => {
      const parts = all.length === 0 ? splitCells(hit, spelling) : undefined;
      return parts ? [{ table: hit.table, parts }] : [];
    });
    const rows = [...new Map(split.map((s) => [JSON.stringify(s), s])).values()];
    if (rows.length === 1 || (rows.length > 1 && ctx.fast)) {
      // The phrase spelled over one row's cells: each cell is an equality.
      for (const { column, value } of rows[0]!.parts) out.equalities.push({ column: { table: rows[0]!.table, column }, value });
      out.exactTables.push(rows[0]!.table);
      if (rows.length > 1) out.picked.push(`"${phrase.text}" -> ${rows[0]!.parts.map((p) => `${rows[0]!.table}.${p.column} = "${String(p.value)}"`).join(' and ')} (of ${rows.length} rows)`);
      continue;
    }
    if (rows.length > 1) {
      out.ambiguous.push({ phrase: phrase.text, candidates: rows.slice(0, 6).map((r) => r.parts.map((p) => `${r.table}.${p.column} = "${String(p.value)}"`).join(' and ')) });
      continue;
    }
    const exact = all.filter((c) => c.exact);
    out.exactTables.push(...exact.map((c) => c.table));
    const pool = exact.length > 0 ? exact : all;
    if (pool.length === 0) {
      out.notFound.push(phrase.text);
      continue;
    }
    const rank = (c: { table: string; column: string }) => score(model, intent, phrase, c);
    pool.sort((a, b) => rank(a) - rank(b));
    const best = pool[0]!;
    const distinctValues = [...new Set(pool.map((c) => String(c.value)))];
    // Several different values (no exact one), or the same value in equally good places.
    const tied = pool.filter((c) => rank(c) === rank(best) && `${c.table}.${c.column}` !== `${best.table}.${best.column}`);
    if ((exact.length === 0 && distinctValues.length > 1) || tied.length > 0) {
      const candidates = pool.slice(0, 6).map((c) => `${c.table}.${c.column} = "${String(c.value)}"`);
      if (!ctx.fast) {
        out.ambiguous.push({ phrase: phrase.text, candidates });
        continue;
      }
      out.picked.push(`"${phrase.text}" -> ${candidates[0]} (also: ${candidates.slice(1).join(', ')})`);
    }
    out.equalities.push({ column: { table: best.table, column: best.column }, value: best.value });
  }
  return out;
}

/** Lower is better: the table named with the value, then the subject, then the nearest by foreign keys. */
function score(model: SchemaModel, intent: Intent, phrase: ValuePhrase, cell: { table: string }): number {
  if (phrase.tableHint === cell.table) return -2;
  if (intent.base === cell.table) return -1;
  if (!intent.base) return 0;
  const distance = model.distance(intent.base, cell.table);
  return Number.isFinite(distance) ? distance : 100;
}

/** The searches the intent's values still need, a search's failure, or the values resolved. */
export function searchValues(ctx: PlanContext, model: SchemaModel, intent: Intent): Plan | { resolved: Resolved } {
  const searches = intent.values.flatMap((v) => nextSearch(ctx, intent, v) ?? []);
  if (searches.length > 0) return { calls: searches.map((args) => ({ name: 'search_data', arguments: args })) };
  const failed = exchangesOf(ctx.turn, 'search_data').find((e) => !e.ok);
  if (failed && isErrorContent(failed.content)) return { text: errorText(failed.content, 'Searching failed') };
  return { resolved: resolveValues(ctx, model, intent) };
}

