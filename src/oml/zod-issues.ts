import type { z } from 'zod';
import { joinPath, type PathSegment } from './path-format.js';
import { isRecord } from './record.js';

/** What a zod issue means for the user, before it becomes a problem with a rule id. */
export interface IssueFinding {
  kind: 'missing' | 'unknown' | 'type' | 'value';
  path: string;
  /** The field or key the finding is about (last path segment, or the unknown key). */
  key: string;
  message: string;
}

/**
 * Turns zod issues into findings with our own wording. `value` is the object that was parsed (to
 * tell a missing field from a wrongly typed one); `basePath` is where it sits in the document.
 * Unknown keys become one finding each, so every typo gets its own path and line.
 */
export function issueFindings(issues: readonly z.core.$ZodIssue[], value: unknown, basePath: string): IssueFinding[] {
  return issues.flatMap((issue): IssueFinding[] => {
    const segments = issue.path.filter((s): s is PathSegment => typeof s === 'string' || typeof s === 'number');
    const path = joinPath(basePath, ...segments);
    const key = String(segments.at(-1) ?? '');
    // zod reports an absent enum or literal as a wrong value; for the user it is a missing key.
    const absent = issue.code !== 'unrecognized_keys' && segments.length > 0 && valueAt(value, segments) === undefined;
    if (absent && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) {
      return [{ kind: 'missing', path, key, message: `missing required key "${key}"` }];
    }
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((unknownKey) => ({
          kind: 'unknown',
          path: joinPath(path, unknownKey),
          key: unknownKey,
          message: `unknown key "${unknownKey}"`,
        }));
      case 'invalid_type':
        return [{ kind: 'type', path, key, message: `expected ${typeName(issue.expected)}, got ${describeType(valueAt(value, segments))}` }];
      case 'invalid_union': {
        const expected = [...new Set(issue.errors.flat().flatMap((e) => (e.code === 'invalid_type' ? [typeName(e.expected)] : [])))];
        if (expected.length === 0) break;
        const list = expected.length === 1 ? expected[0] : `${expected.slice(0, -1).join(', ')} or ${expected.at(-1)}`;
        return [{ kind: 'type', path, key, message: `expected ${list}, got ${describeType(valueAt(value, segments))}` }];
      }
      case 'invalid_key':
        return [{ kind: 'value', path, key, message: issue.issues[0]?.message ?? issue.message }];
      case 'invalid_value':
        return [{ kind: 'value', path, key, message: issue.values.length === 1 ? `must be ${JSON.stringify(issue.values[0])}` : `must be one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` }];
      case 'too_small':
        if (issue.origin === 'array') return [{ kind: 'value', path, key, message: `must have at least ${String(issue.minimum)} item(s)` }];
        if (issue.origin === 'string') return [{ kind: 'value', path, key, message: `must be at least ${String(issue.minimum)} character(s) long` }];
        return [{ kind: 'value', path, key, message: `must be at least ${String(issue.minimum)}` }];
      case 'too_big':
        return [{ kind: 'value', path, key, message: `must be at most ${String(issue.maximum)}` }];
      default:
        break;
    }
    return [{ kind: 'value', path, key, message: issue.message }];
  });
}

function valueAt(value: unknown, segments: readonly PathSegment[]): unknown {
  let node = value;
  for (const segment of segments) {
    if (Array.isArray(node) && typeof segment === 'number') node = node[segment];
    else if (isRecord(node)) node = node[String(segment)];
    else return undefined;
  }
  return node;
}

/** zod's names for containers, in the words of a YAML author. */
function typeName(expected: string): string {
  if (expected === 'object' || expected === 'record') return 'a mapping';
  if (expected === 'array') return 'a list';
  return expected;
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'a mapping';
  return typeof value;
}
