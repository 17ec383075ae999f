/**
 * Which schema names a word names: columns named by one to three words (synonyms, plurals, participles),
 * and link-table qualifier values named by a verb ("directed" -> 'director').
 */
import type { ColumnRef } from './intent-types.js';
import { isDateLike, isNumeric, type SchemaModel } from './schema-model.js';
import { abbreviates, fold, nameParts, singular, singulars, stem, variants } from './words.js';

/** The last part of a key column's name: keys are not what a participle names. */
const KEY_PART = /^(?:id|no|nr|num|code|ref|key|fk|pk)$/;
/** The last part of a name column: "last" in last_name qualifies the name, it is no verb's noun. */
const LABEL_PART = /^(?:name|title|label)$/;

/** Columns of any table that `words` name (all words must match, in order); best matches first. */
export function columnsNamed(model: SchemaModel, words: string[]): { ref: ColumnRef; score: number }[] {
  const wanted = words.map((w) => variants(w));
  const found: { ref: ColumnRef; score: number }[] = [];
  for (const table of model.tables.values()) {
    for (const column of table.columns) {
      const whole = nameParts(column.name).map(singular);
      // "pat_last_name" in patient is its "last name": a prefix abbreviating the table's name says nothing.
      const prefixed = whole.length > 1 && abbreviates(whole[0]!, table.name) && !KEY_PART.test(whole.slice(1).join('_'));
      const parts = prefixed ? whole.slice(1) : whole;
      // Each word names its part, or starts with it when the part is an abbreviation ("admission id" -> adm_id).
      const spells = (p: string[]) => wanted.length === p.length && wanted.every((w, k) => w.includes(p[k]!) || (k < p.length - 1 && p[k]!.length >= 3 && w.some((form) => form.startsWith(p[k]!))));
      let score = 0;
      // "support rep" is SupportRepId: a key named without its "id".
      const bare = parts.length > 1 && KEY_PART.test(parts.at(-1)!) ? parts.slice(0, -1) : undefined;
      if (spells(parts) || spells(whole) || (bare !== undefined && bare.length > 1 && spells(bare))) score = 3;
      else if (wanted.length === 1 && wanted[0]!.includes(fold(column.name))) score = 3;
      else if (wanted.length === 1 && parts.length > 1 && wanted[0]!.includes(parts[0]!) && parts[0] !== 'id') score = 2;
      else if (wanted.length === 1 && parts.length > 1 && parts.slice(1).some((p) => wanted[0]!.includes(p)) && !['id', 'name', 'year', 'date'].includes(words[0]!)) score = 1;
      else if (wanted.length === 1 && parts.length > 1 && ['name', 'year', 'date', 'title'].includes(singular(words[0]!)) && parts.at(-1) === singular(words[0]!)) score = 1;
      // "hire date" -> hired_on, "discharge date" -> dischargeDate: a verb and "date" name the date column of that verb.
      else if (wanted.length === 2 && /^(?:date|day|time)$/.test(singular(words[1]!)) && isDateLike(column) && parts.some((p) => p.length >= 3 && stem(p) === stem(words[0]!))) score = 3;
      // "rated" -> rating, "priced" -> price: a participle names the column of the same stem (not "lasted" -> last_name).
      else if (wanted.length === 1 && /(?:ed|ing)$/.test(words[0]!) && !KEY_PART.test(parts.at(-1)!) && !LABEL_PART.test(parts.at(-1)!) && parts.some((p) => p.length >= 4 && stem(p) === stem(words[0]!)) && model.tablesNamed(stem(words[0]!)).length === 0) score = 1;
      // "references" -> REF, "description" -> DESCR, "department" -> DEPT: a one-word name cut short from the word.
      else if (wanted.length === 1 && parts.length === 1 && parts[0]!.length >= 3 && !/(?:ed|ing)$/.test(words[0]!) && wanted[0]!.some((w) => w.length >= parts[0]!.length + 2 && w.startsWith(parts[0]!))) score = 2;
      if (score > 0) found.push({ ref: { table: table.name, column: column.name }, score });
    }
  }
  return found.sort((a, b) => b.score - a.score);
}

/** A verb matching a link table's qualifier value ("directed" -> 'director'). */
export function qualifierFor(model: SchemaModel, word: string): { column: ColumnRef; value: string } | undefined {
  if (word.length < 4) return undefined;
  const wanted = stem(word);
  for (const [key, values] of model.qualifierValues) {
    const [table, column] = key.split('\u0000') as [string, string];
    const value = values.find((v) => stem(v) === wanted);
    if (value !== undefined) return { column: { table, column }, value };
  }
  return undefined;
}

/**
 * "salaries" beside a `salaries` table whose `salary` column is a number: a plural naming a table and its own
 * measure. Compared ("salaries above 100000") or ordered by ("the 5 highest salaries"), it is that column.
 */
export function namesOwnMeasure(model: SchemaModel, word: string): boolean {
  if (singular(word) === word || model.tablesNamed(word).length === 0) return false;
  return columnsNamed(model, [word]).some(
    (c) => c.score >= 3 && singulars(c.ref.table).includes(fold(c.ref.column)) && isNumeric(model.table(c.ref.table)!.columns.find((x) => x.name === c.ref.column)!),
  );
}
