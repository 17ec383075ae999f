/** A source query that streams for minutes (500M generated rows): for tests that cancel a run mid-step. */
export const ENDLESS_QUERY = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 500000000) SELECT x FROM c';

/** A one-step pipeline (step `endless`) reading ENDLESS_QUERY from the demo database. */
export function endlessPipeline(name: string): string {
  return [
    'oml_version: "0.1.0"',
    `name: ${name}`,
    'steps:',
    '  - id: endless',
    '    component: sqlite.extractor',
    '    mode: read',
    '    config:',
    '      connection: "@sqlite.demo"',
    `      query: ${ENDLESS_QUERY}`,
  ].join('\n');
}
