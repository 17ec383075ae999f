/** Word handling for the request parser: accent folding, singular forms, stems, small English synonym sets. */

/** Lowercase without accents: "Céline" -> "celine". */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** A plural English noun's singular ("movies" -> "movie", "categories" -> "category", "boxes" -> "box"). */
export function singular(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(?:ses|xes|zes|ches|shes)$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

/**
 * The words of an identifier, folded: "pat_last_name" -> pat, last, name; "admissionDate" -> admission,
 * date; "address2" -> address, 2. Schemas name things in snake_case, camelCase or both.
 */
export function nameParts(identifier: string): string[] {
  return fold(identifier.replace(/(?<=[a-z0-9])(?=[A-Z])/g, '_')).split(/[_\s]+|(?<=[a-z])(?=[0-9])/).filter(Boolean);
}

/** A table-name prefix of a column ("pat" in patient.pat_id, "dept" in departments.deptName): its letters, in order, start the table's name. */
export function abbreviates(part: string, table: string): boolean {
  const name = fold(table);
  if (part.length < 2 || part[0] !== name[0]) return false;
  let at = 0;
  for (const letter of part) {
    at = name.indexOf(letter, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/** A rough stem for matching verbs to nouns: "directed"/"director" -> "direct", "acted"/"actor" -> "act". */
export function stem(word: string): string {
  const w = singular(fold(word));
  for (const suffix of ['ing', 'ed', 'ress', 'or', 'er', 'ion', 'e']) if (w.length - suffix.length >= 3 && w.endsWith(suffix)) return w.slice(0, -suffix.length);
  return w;
}

/** Groups of words that name the same thing in a schema (generic English, not any one schema). */
const SYNONYMS: string[][] = [
  ['film', 'movie', 'picture'],
  ['person', 'people', 'individual'],
  ['born', 'birth', 'birthday'],
  ['name', 'full_name', 'fullname', 'nm'],
  ['year', 'yr'],
  ['country', 'nation', 'nationality'],
  ['price', 'cost', 'amount', 'expensive', 'cheap', 'pricey', 'sales', 'spending', 'spent', 'spend', 'turnover', 'total'],
  ['salary', 'pay', 'paid', 'wage', 'earnings'],
  ['quantity', 'qty'],
  ['score', 'rating', 'grade', 'mark'],
  ['category', 'genre', 'kind', 'type'],
  ['client', 'customer', 'buyer'],
  ['item', 'product', 'article'],
  ['released', 'release', 'published'],
  ['length', 'runtime', 'duration', 'milliseconds', 'millisecond', 'ms'],
  // Units as columns abbreviate them (WEIGHT_G, DIST_KM, runtime_min).
  ['gram', 'g', 'gr'], ['kilogram', 'kg', 'kilo'], ['kilometre', 'kilometer', 'km'], ['centimetre', 'centimeter', 'cm'],
  ['minute', 'min', 'mins'], ['second', 'sec', 'secs'], ['hour', 'hr', 'hrs'], ['cent', 'ct'],
];

/** The singular forms a word may have: "movies" -> movie or movy; "categories" -> category or categorie. */
export function singulars(word: string): string[] {
  const w = fold(word);
  const forms = new Set([w, singular(w)]);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) forms.add(w.slice(0, -1));
  return [...forms];
}

/** The word, its singular forms and their synonyms (folded). */
export function variants(word: string): string[] {
  const forms = singulars(word);
  const out = new Set(forms);
  for (const form of forms) for (const synonym of SYNONYMS.find((g) => g.includes(form)) ?? []) out.add(synonym);
  return [...out];
}

/** Words that carry no condition: articles, fillers, export verbs. */
export const FILLER = new Set(
  (
    'a an the of to from into as in on at for and or with their its his her them they these those that this which who whose whom ' +
    'is are was were be been being has have had do does did please me my i we our us you your all every any some ' +
    'export save write copy dump download extract store put show list give get find display return what whats also just only ' +
    'file files table tables rows row data records record one there each together both along including include yet recorded known'
  ).split(' '),
);

/** Pronouns that refer back to the entity found or the result shown earlier. */
export const PRONOUNS = new Set(['her', 'his', 'their', 'its', 'them', 'it', 'she', 'he', 'they', 'these', 'those']);

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
