import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
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

/** Parses YAML text keeping a `path -> line/column` map so every problem can point at the source. */
export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const positions = new Map<string, SourceLocation>();
  const at = (offset: number): SourceLocation => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const locate: Locator = (path) => {
    for (let p: string | undefined = path; p !== undefined; p = parentPath(p)) {
      const found = positions.get(p);
      if (found) return found;
    }
    return undefined;
  };

  if (doc.errors.length > 0) {
    const problems = doc.errors.map((err): Problem => {
      const { line, column } = at(err.pos[0]);
      return {
        severity: 'error',
        rule: 'yaml-syntax',
        path: '',
        line,
        column,
        message: `YAML syntax error: ${firstLine(err.message)}`,
        hint: 'Fix the YAML at this line: check indentation, quoting and that every key appears once.',
      };
    });
    return { value: undefined, locate, problems };
  }

  const visit = (node: unknown, segments: PathSegment[]): void => {
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
  return { value: doc.toJS(), locate, problems: [] };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
