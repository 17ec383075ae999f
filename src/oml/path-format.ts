/** The path notation used in problems: `steps[2].config.query`. */
export type PathSegment = string | number;

export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

export function joinPath(base: string, ...segments: readonly PathSegment[]): string {
  const rest = formatPath(segments);
  if (base === '') return rest;
  if (rest === '') return base;
  return rest.startsWith('[') ? base + rest : `${base}.${rest}`;
}

/** `steps[2].config` -> `steps[2]` -> `steps` -> `''`: used to locate a path that is absent from the source. */
export function parentPath(path: string): string | undefined {
  if (path === '') return undefined;
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut <= 0 ? '' : path.slice(0, cut);
}
