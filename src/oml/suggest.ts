/** Names within a small edit distance of `input`, closest first: for "did you mean" hints. */
export function closestNames(input: string, candidates: Iterable<string>, max = 3): string[] {
  const needle = input.toLowerCase();
  if (needle === '') return [];
  const limit = Math.max(2, Math.floor(needle.length / 3));
  return [...candidates]
    .map((name) => ({ name, distance: editDistance(needle, name.toLowerCase()) }))
    .filter(({ name, distance }) => distance <= limit || name.toLowerCase().includes(needle) || needle.includes(name.toLowerCase()))
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, max)
    .map(({ name }) => name);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
