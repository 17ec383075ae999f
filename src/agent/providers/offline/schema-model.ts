/**
 * The schema as the request parser sees it, built only from discovery results: tables with their
 * columns, keys and label column, the foreign-key graph (walked both ways), link tables, and the
 * distinct values of link tables' qualifier columns (from samples).
 */
import type { ColumnInfo, ForeignKey } from '../../../connectors/discovery.js';
import type { DescribeTableContent } from '../../tool-content.js';
import { abbreviates, fold, nameParts, singulars, variants } from './words.js';

export interface TableModel {
  name: string;
  columns: ColumnInfo[];
  primaryKey: string[];
  foreignKeys: ForeignKey[];
  /** The column that names a row (title, name, ...), if any. */
  label?: string;
  /** Two or more foreign keys to other tables and little else: a many-to-many link. */
  link: boolean;
  /** Text columns of a link table beside its keys ("role"), which qualify the link. */
  qualifiers: string[];
}

/** One foreign key, walkable in either direction: `from.fromColumns` = `to.toColumns`. */
export interface Hop {
  from: string;
  to: string;
  fromColumns: string[];
  toColumns: string[];
  /** `to` holds the foreign key: one `from` row has many `to` rows. */
  many: boolean;
}

// What a key's role word ("origin", "dest", "manager") is also called in a request: the verbs of leaving and
// arriving, and of answering to someone.
const ROLE_SYNONYMS: string[][] = [
  ['origin', 'source', 'from', 'leaving', 'left', 'leaves', 'departing', 'departed', 'departs', 'departure', 'sender', 'sent', 'pickup', 'start'],
  ['destination', 'dest', 'to', 'target', 'arriving', 'arrived', 'arrives', 'arrival', 'bound', 'receiver', 'recipient', 'dropoff', 'going', 'headed', 'end'],
  ['manager', 'managed', 'manages', 'supervisor', 'supervised', 'supervises', 'boss', 'report', 'reports', 'reporting', 'reported', 'lead', 'head', 'parent', 'superior'],
];

/**
 * Whether a request word names the role of a key (`ORIGIN_DEPOT_ID`: "origin", "leaving"; `dest_id`:
 * "destination"; `manager_id`: "report to"): the key column's own words, less the table it points to and
 * "id", or their synonyms.
 */
function namesRole(keyColumns: readonly string[], target: string, words: ReadonlySet<string>): boolean {
  const parts = keyColumns.flatMap(nameParts).filter((part) => !/^(?:id|key|fk|no|nr)$/.test(part) && !singulars(target).includes(part) && !abbreviates(part, target));
  return parts.some((part) => {
    const names = [part, ...(ROLE_SYNONYMS.find((group) => group.some((word) => word === part || (part.length >= 3 && word.startsWith(part))))?.filter((w) => w !== 'to' && w !== 'from') ?? [])];
    return [...words].some((word) => names.some((name) => word === name || (name.length >= 3 && word.startsWith(name))));
  });
}

const hopNamed = (hop: Hop, words: ReadonlySet<string>) => namesRole(hop.many ? hop.toColumns : hop.fromColumns, hop.many ? hop.from : hop.to, words);

const MOMENTS = /^(?:born|published|released|created|updated|modified|founded|established|hired|opened|started|ended|finished|registered|joined|signed|shipped|delivered|ordered|placed|paid|issued|posted|recorded)$/;

/** A yes/no column's adjective ("active" of `IS_ACTIVE`, "fragile" of `is_fragile`, any BOOLEAN's own words), else undefined. */
export function flagWords(column: ColumnInfo): string[] | undefined {
  const parts = nameParts(column.name);
  // `is_active`, `flg_tenured`, `tenured_flag`, `active_yn`.
  if (parts.length >= 2 && /^(?:is|has|can|was|flg|flag|bln|bool)$/.test(parts[0]!) && !isText(column)) return parts.slice(1);
  if (parts.length >= 2 && /^(?:flag|flg|yn|ind)$/.test(parts.at(-1)!) && !isText(column)) return parts.slice(0, -1);
  // `Discontinued`, `active`, `archived`: a one-word adjective naming an integer every row has; a moment's
  // participle (`published`, a year) is not one.
  const word = parts.length === 1 ? parts[0]! : '';
  if (/(?:ed|ive|able)$/.test(word) && !MOMENTS.test(word) && !column.nullable && /^(?:INT|INTEGER|TINYINT|SMALLINT|BIT|NUMBER\(1\))$/i.test(column.type.trim())) return parts;
  return /BOOL/i.test(column.type) ? parts : undefined;
}

export function isFlag(column: ColumnInfo): boolean {
  return flagWords(column) !== undefined;
}

export function isNumeric(column: ColumnInfo): boolean {
  return /INT|REAL|NUM|DEC|FLOAT|DOUBLE|MONEY/i.test(column.type);
}

export function isText(column: ColumnInfo): boolean {
  return /CHAR|TEXT|CLOB|STRING|ANY|ENUM/i.test(column.type);
}

export function isDateLike(column: ColumnInfo): boolean {
  // Names of a moment: "..._year", "...Date", "created_at", "placed_on", and participles ("published", "born").
  const last = nameParts(column.name).at(-1) ?? '';
  // `IS_SUSPENDED` is a yes/no, not the moment of suspension.
  if (isFlag(column)) return false;
  return /DATE|TIME/i.test(column.type) || /^(?:year|date|at|on|time|day)$|[a-z]ed$/.test(last) || /^born$/i.test(column.name);
}

/** Tiers of label names: the whole name is one ("title", "full_name"), else it ends in one ("deptName"), else contains one. */
const LABELS: ((parts: string[]) => boolean)[] = [
  (parts) => /^(?:title|name|nm|fullname|displayname|label)$/.test(parts.join('')),
  (parts) => parts.length > 1 && /^(?:name|nm|title)$/.test(parts.at(-1)!),
  (parts) => parts.some((p) => /name|title/.test(p)),
];

function labelOf(detail: DescribeTableContent): string | undefined {
  const keys = new Set([...detail.primaryKey, ...detail.foreignKeys.flatMap((f) => f.columns)]);
  const text = detail.columns.filter((c) => isText(c) && !keys.has(c.name));
  for (const tier of LABELS) {
    const found = text.filter((c) => tier(nameParts(c.name)));
    // Of several ("short_name" and "deptName", "first_name" and "last_name"): the one every row has, then the one
    // whose prefix abbreviates the table ("dept" in departments), then the first.
    const rank = (c: ColumnInfo) => (c.nullable ? 0 : 2) + (abbreviates(nameParts(c.name)[0]!, detail.table) ? 1 : 0);
    const best = found.sort((a, b) => rank(b) - rank(a))[0];
    if (best) return best.name;
  }
  // Nothing called a name ("COMPANY", "REF"): the first text every row has, unless it is a contact or a state.
  return text.find((c) => !c.nullable && !/mail|phone|status|state|type|kind|password|hash/i.test(c.name))?.name;
}

export class SchemaModel {
  readonly tables = new Map<string, TableModel>();
  /** Distinct values of link-table qualifier columns, by `table.column`. */
  readonly qualifierValues = new Map<string, string[]>();

  constructor(details: Iterable<DescribeTableContent>) {
    for (const detail of details) {
      const keys = new Set([...detail.primaryKey, ...detail.foreignKeys.flatMap((f) => f.columns)]);
      const targets = new Set(detail.foreignKeys.map((f) => f.refTable));
      const others = detail.columns.filter((c) => !keys.has(c.name));
      // A link has no key of its own: its primary key (if any) is made of its foreign keys and qualifiers.
      const fkColumns = new Set(detail.foreignKeys.flatMap((f) => f.columns));
      const ownKey = detail.primaryKey.some((k) => !fkColumns.has(k) && !isText(detail.columns.find((c) => c.name === k) ?? { name: k, type: '', nullable: true }));
      const link = targets.size >= 2 && others.length <= 2 && labelOf(detail) === undefined && !ownKey;
      this.tables.set(detail.table, {
        name: detail.table,
        columns: detail.columns,
        primaryKey: detail.primaryKey,
        foreignKeys: detail.foreignKeys,
        label: labelOf(detail),
        link,
        // Text columns outside the foreign keys, even when part of the primary key (product, maker, role).
        qualifiers: link ? detail.columns.filter((c) => isText(c) && !detail.foreignKeys.some((f) => f.columns.includes(c.name))).map((c) => c.name) : [],
      });
    }
  }

  table(name: string): TableModel | undefined {
    return this.tables.get(name);
  }

  /**
   * Tables a word names: "movies", "movie", "film" (synonym), the last part of a compound name
   * ("shop_customers", "tbl_course"); a link table's last part only when no other table is named
   * ("actors" is `actors`, not `movie_actors`; "enrollments" is `tbl_enrollment`).
   */
  tablesNamed(word: string): string[] {
    const wanted = new Set(variants(word));
    const lastPart = (name: string) => {
      const last = name.replace(/^.*_/, '');
      return last !== name && singulars(last).some((form) => wanted.has(form));
    };
    const names = [...this.tables.keys()];
    const named = names.filter((name) => singulars(name).some((form) => wanted.has(form)) || (!this.tables.get(name)!.link && lastPart(name)));
    return named.length > 0 ? named : names.filter(lastPart);
  }

  /** The table two words name together: "invoice lines" -> `InvoiceLine`, "order items" -> `order_items`. */
  tableNamedBy(first: string, second: string): string | undefined {
    const wanted = new Set(singulars(`${fold(first)}${fold(second)}`));
    return [...this.tables.keys()].find((name) => singulars(fold(name).replace(/[_\s-]/g, '')).some((form) => wanted.has(form)));
  }

  /** The one table a past participle names by its stem: "enrolled" -> `tbl_enrollment`, "shipped" -> `shipments`. */
  tableOfParticiple(word: string): string | undefined {
    if (!/ed$/.test(word)) return undefined;
    // "admitted" -> admission(s), "submitted" -> submission(s): -mit verbs make -mission nouns.
    const stems = [...new Set([word.slice(0, -2), word.slice(0, -1), word.replace(/([b-df-hj-np-tv-z])\1ed$/, '$1'), word.replace(/mitted$/, 'miss')])].filter((stem) => stem.length >= 4);
    const found = [...this.tables.keys()].filter((name) => {
      const last = fold(name.replace(/^.*_/, ''));
      return stems.some((stem) => last.startsWith(stem) && last.length - stem.length <= 5);
    });
    return found.length === 1 ? found[0] : undefined;
  }

  /**
   * "staff who report to Karim Haddad", "members sponsored by Ana": the table's key to itself that a verb of the
   * request names (`manager_id`, `SPONSOR_ID`), if any. A noun ("Karim's manager") points the other way, so
   * only verb forms count.
   */
  selfReference(table: string, words: ReadonlySet<string>): ForeignKey | undefined {
    const verbs = new Set([...words].filter((word) => /(?:ed|ing)$/.test(word) || /^reports?$/.test(word)));
    return this.table(table)?.foreignKeys.find((fk) => fk.refTable === table && fk.columns.length === 1 && namesRole(fk.columns, table, verbs));
  }

  /** Every foreign key as a hop from each side. */
  hopsFrom(table: string): Hop[] {
    const hops: Hop[] = [];
    for (const model of this.tables.values()) {
      for (const fk of model.foreignKeys) {
        if (model.name === table) hops.push({ from: table, to: fk.refTable, fromColumns: fk.columns, toColumns: fk.refColumns, many: false });
        if (fk.refTable === table && this.tables.has(model.name)) hops.push({ from: table, to: model.name, fromColumns: fk.refColumns, toColumns: fk.columns, many: true });
      }
    }
    return hops.filter((h) => this.tables.has(h.to));
  }

  /** The shortest chain of foreign keys from one table to another (breadth-first), or undefined. */
  path(from: string, to: string): Hop[] | undefined {
    return this.route(from, to, new Set())?.chain;
  }

  /**
   * The shortest chain, choosing between two keys to the same table (a shipment's origin and destination
   * depot) by the request's `words`; `unsure` lists the keys of a step that no word chose (the first was taken).
   * `through`: tables the request uses, preferred on the way.
   */
  route(from: string, to: string, words: ReadonlySet<string>, through: ReadonlySet<string> = new Set()): { chain: Hop[]; unsure?: Hop[] } | undefined {
    if (from === to) return { chain: [] };
    const previous = new Map<string, { hop: Hop; unsure?: Hop[] }>();
    const queue = [from];
    const seen = new Set([from]);
    while (queue.length > 0) {
      const current = queue.shift()!;
      // Of two equally short chains, the one through tables the request uses (a student's grade for a course
      // is through the enrolment, not through the course's teacher and the students they advise).
      const hops = this.hopsFrom(current).sort((a, b) => Number(through.has(b.to)) - Number(through.has(a.to)));
      for (const first of hops) {
        if (seen.has(first.to)) continue;
        seen.add(first.to);
        const parallel = hops.filter((h) => h.to === first.to);
        const chosen = parallel.length === 1 ? parallel : parallel.filter((h) => hopNamed(h, words));
        previous.set(first.to, chosen.length === 1 ? { hop: chosen[0]! } : { hop: first, unsure: parallel });
        if (first.to === to) {
          const chain: Hop[] = [];
          let unsure: Hop[] | undefined;
          for (let at = to; at !== from; at = previous.get(at)!.hop.from) {
            chain.unshift(previous.get(at)!.hop);
            unsure ??= previous.get(at)!.unsure;
          }
          return { chain, unsure };
        }
        queue.push(first.to);
      }
    }
    return undefined;
  }

  /** Whether one `from` row may have many `to` rows (some hop on the path goes to the side holding the key). */
  oneToMany(from: string, to: string): boolean {
    return this.path(from, to)?.some((h) => h.many) ?? false;
  }

  distance(from: string, to: string): number {
    return this.path(from, to)?.length ?? Number.POSITIVE_INFINITY;
  }
}
