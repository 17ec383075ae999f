import { OsirisError } from '../../errors.js';

// Locking reads and server-side file writes are possible inside a read-only transaction: refuse them by text.
const FORBIDDEN = [/\bINTO\s+(OUTFILE|DUMPFILE)\b/i, /\bFOR\s+(UPDATE|SHARE)\b/i, /\bLOCK\s+IN\s+SHARE\s+MODE\b/i];

/**
 * First line of defence for source queries: one SELECT (or WITH / VALUES / TABLE / parenthesized
 * SELECT), no second statement, no executable comments. The read-only transaction the query then
 * runs in is the second: a write hidden in a stored function still fails there.
 */
export function assertReadOnlyQuery(sql: string, where: string): void {
  const refuse = (why: string): never => {
    throw new OsirisError('SQL_REFUSED', `${where}: the source query must be a single read-only SELECT (${why})`, {
      hint: 'Use a SELECT (or `table:`) in mysql.extractor; writes belong in a writer step.',
    });
  };
  if (/\/\*[!M]/.test(sql)) refuse('executable comments /*! ... */ are not allowed');
  // Blank out literals, quoted identifiers and comments so keywords inside them do not count.
  const code = sql
    .replace(/'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|`(?:[^`]|``)*`/gs, "''")
    .replace(/\/\*.*?\*\/|(?:--\s|#)[^\n]*/gs, ' ')
    .trim()
    .replace(/;\s*$/, '');
  const first = /^\(*\s*([A-Za-z]+)/.exec(code)?.[1]?.toUpperCase();
  if (first === undefined || !['SELECT', 'WITH', 'VALUES', 'TABLE'].includes(first)) refuse(`it starts with ${first ?? 'nothing'}`);
  if (code.includes(';')) refuse('it holds more than one statement');
  const forbidden = FORBIDDEN.map((pattern) => pattern.exec(code)?.[0]).find((match) => match !== undefined);
  if (forbidden !== undefined) refuse(`${forbidden.replace(/\s+/g, ' ').toUpperCase()} is not allowed`);
}
