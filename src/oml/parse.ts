import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLError } from 'yaml';
import { formatPath, parentPath, type PathSegment } from './path-format.js';
import type { Problem } from './problem.js';

export interface SourceLocation {
  line: number;
  column: number;
}

/** Finds where a path (or, when it is absent, its nearest ancestor) is written in the source. */
export type Locator = (path: string) => SourceLocation | undefined;

export interface ParsedYaml {
  /** Plain JS value of the document; undefined when the YAML has syntax errors. */
  value: unknown;
  locate: Locator;
  /** YAML syntax errors (rule `yaml-syntax`); empty when the text parsed. */
  problems: Problem[];
}

/** Deeper than any pipeline or config needs; a deeper document is a mistake or an attack on the parser. */
export const MAX_YAML_DEPTH = 64;
/** An alias may be used this often in one document; more is how "billion laughs" documents blow up. */
const MAX_ALIAS_COUNT = 100;
const SYNTAX_HINT = 'Fix the YAML at this line: check indentation, quoting and that every key appears once.';
/** The YAML library's errors that read better in the words of someone editing the file. */
const USER_MESSAGES: Partial<Record<YAMLError['code'], [string, string]>> = {
  MULTIPLE_DOCS: ['the file holds more than one YAML document (a second --- line)', 'Keep one document per file: remove the --- line and what follows, or split it into two files.'],
  TAB_AS_INDENT: ['a tab is used for indentation', 'Indent with spaces; YAML does not allow tabs for indentation.'],
  DUPLICATE_KEY: ['this key appears twice in the same mapping', 'Keep one of the two; the second would silently replace the first.'],
  BAD_ALIAS: ['an alias (*name) refers to no anchor (&name) defined before it', 'Define the anchor first, or write the value out.'],
};

/** Parses YAML text keeping a `path -> line/column` map so every problem can point at the source. */
export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const positions = new Map<string, SourceLocation>();
  const at = (offset: number): SourceLocation => {
    const pos = lineCounter.linePos(offset);
    // An empty document has no lines yet: its start is 1:1.
    return { line: Math.max(pos.line, 1), column: Math.max(pos.col, 1) };
  };
  const locate: Locator = (path) => {
    for (let p: string | undefined = path; p !== undefined; p = parentPath(p)) {
      const found = positions.get(p);
      if (found) return found;
    }
    return undefined;
  };

  const problemAt = (offset: number, rule: string, message: string, hint: string): Problem => ({ severity: 'error', rule, path: '', ...at(offset), message, hint });
  // Unresolved tags (!foo) are warnings to the library; Osiris files use no tags, so they are errors.
  const syntax = [...doc.errors, ...doc.warnings].map((err): Problem => {
    const [message, hint] = USER_MESSAGES[err.code] ?? [`YAML syntax error: ${firstLine(err.message)}`, SYNTAX_HINT];
    return problemAt(err.pos[0], err.code === 'TAG_RESOLVE_FAILED' ? 'yaml-tag' : 'yaml-syntax', message, hint);
  });
  if (syntax.length > 0) return { value: undefined, locate, problems: syntax };

  const shapeProblems: Problem[] = [];
  let firstAlias: number | undefined;
  const visit = (node: unknown, segments: PathSegment[]): void => {
    const range = (node as Node | null)?.range;
    if (segments.length > MAX_YAML_DEPTH) {
      if (shapeProblems.length === 0) {
        shapeProblems.push(problemAt(range?.[0] ?? 0, 'yaml-depth', `the document is nested more than ${MAX_YAML_DEPTH} levels deep`, 'Flatten the structure; no Osiris setting is nested this deep.'));
      }
      return;
    }
    if (isAlias(node)) firstAlias ??= range?.[0];
    if (isScalar(node) && typeof node.value === 'number' && !Number.isSafeInteger(node.value) && /^[-+]?(0x[0-9a-f]+|0o[0-7]+|\d+)$/i.test(node.source ?? '')) {
      // Read as a float, 123456789012345678901 would silently become 123456789012345680000.
      shapeProblems.push(problemAt(range?.[0] ?? 0, 'yaml-number', `the integer ${node.source} is too large to be read exactly (the largest is ${Number.MAX_SAFE_INTEGER})`, 'Use a smaller number, or quote it if it is text (an id, a code).'));
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : undefined;
        if (typeof key !== 'string' && typeof key !== 'number') continue;
        const child = [...segments, String(key)];
        // Point at the key (`query:`) rather than its value, which may start lines later.
        const range = (pair.key as Node).range;
        if (range) positions.set(formatPath(child), at(range[0]));
        visit(pair.value, child);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const child = [...segments, index];
        const range = (item as Node | null)?.range;
        if (range) positions.set(formatPath(child), at(range[0]));
        visit(item, child);
      });
    }
  };
  const root = doc.contents as Node | null;
  if (root?.range) positions.set('', at(root.range[0]));
  visit(root, []);
  if (shapeProblems.length > 0) return { value: undefined, locate, problems: shapeProblems };
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), locate, problems: [] };
  } catch (err) {
    // The library refuses documents whose aliases expand exponentially ("billion laughs").
    const message = `aliases (*name) expand to too much data: ${firstLine((err as Error).message)}`;
    return { value: undefined, locate, problems: [problemAt(firstAlias ?? 0, 'yaml-aliases', message, 'Write the values out instead of repeating aliases of aliases.')] };
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
