/**
 * Step dependency graph helpers. Pure (no Node APIs) so pipeline-run workflows can import them.
 * A node's `needs` are the ids it waits for; node order is the order written in the pipeline.
 */
export interface DagNode {
  id: string;
  needs: readonly string[];
}

/**
 * Groups steps into levels: each step sits one level after the deepest step it needs, so all steps
 * of a level can run in parallel. Within a level steps keep their written order (deterministic).
 * Throws on an unknown need or a cycle; validation reports those with locations before compiling.
 */
export function dagLevels(nodes: readonly DagNode[]): string[][] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    if (!node) throw new Error(`unknown step "${id}" in needs`);
    if (visiting.has(id)) throw new Error(`cyclic needs through step "${id}"`);
    visiting.add(id);
    const level = node.needs.reduce((max, need) => Math.max(max, depthOf(need) + 1), 0);
    visiting.delete(id);
    depth.set(id, level);
    return level;
  };
  const levels: string[][] = [];
  for (const node of nodes) {
    const level = depthOf(node.id);
    (levels[level] ??= []).push(node.id);
  }
  return levels;
}

/**
 * Every cycle among the nodes, one per strongly connected component, as the ids along the cycle
 * starting from the earliest written step (`[a, b, c]` means a needs b, b needs c, c needs a).
 * Needs naming unknown ids are ignored here (they are a separate problem).
 */
export function findCycles(nodes: readonly DagNode[]): string[][] {
  const position = new Map(nodes.map((node, index) => [node.id, index]));
  const edges = new Map(nodes.map((node) => [node.id, node.needs.filter((need) => position.has(need))]));
  const cycles: string[][] = [];
  for (const component of stronglyConnected(nodes.map((node) => node.id), edges)) {
    const members = new Set(component);
    const [first] = [...component].sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
    if (first === undefined) continue;
    const selfLoop = edges.get(first)?.includes(first) ?? false;
    if (component.length === 1 && !selfLoop) continue;
    cycles.push(walkCycle(first, members, edges, position));
  }
  return cycles.sort((a, b) => (position.get(a[0] ?? '') ?? 0) - (position.get(b[0] ?? '') ?? 0));
}

/** Inside a strongly connected component every walk returns to its start's component; follow the earliest edge until a repeat. */
function walkCycle(start: string, members: Set<string>, edges: Map<string, string[]>, position: Map<string, number>): string[] {
  const path: string[] = [];
  const seen = new Map<string, number>();
  let current: string | undefined = start;
  while (current !== undefined && !seen.has(current)) {
    seen.set(current, path.length);
    path.push(current);
    current = (edges.get(current) ?? [])
      .filter((next) => members.has(next))
      .sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0))[0];
  }
  return current === undefined ? path : path.slice(seen.get(current));
}

/** Tarjan's algorithm, written with an explicit stack. */
function stronglyConnected(ids: readonly string[], edges: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result: string[][] = [];
  let counter = 0;
  for (const root of ids) {
    if (index.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const targets = edges.get(frame.id) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next++]!;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ id: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        result.push(component);
      }
    }
  }
  return result;
}
