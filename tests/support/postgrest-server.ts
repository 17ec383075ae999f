import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

/**
 * A local stand-in for PostgREST (no PostgREST binary is packaged for Debian), serving `/rest/v1/`
 * from a real PostgreSQL: the subset of the PostgREST protocol the Supabase connector and the real
 * supabase-js client use. Rows are encoded by PostgreSQL itself (json_agg) and decoded by
 * json_populate_recordset, as PostgREST does, so types and coercions are the server's own.
 *
 * - auth: `apikey` (and `Authorization: Bearer`, when sent) must equal the key, else 401
 * - GET / HEAD /rest/v1/: the OpenAPI (Swagger 2) document, with PostgREST's `<pk/>` / `<fk/>` notes
 * - GET / HEAD /rest/v1/<table>: select, order, limit, offset or a Range header, filters
 *   (eq, neq, gt, gte, lt, lte, like, ilike, is, in, each with not.), Prefer: count=exact|planned|estimated
 * - POST: JSON object or array, `columns`, Prefer: resolution=merge-duplicates|ignore-duplicates with on_conflict
 * - DELETE with filters
 * - `failNext(n, status)` makes the next n requests fail (429 / 503) before touching the database
 */
export interface TestPostgrest {
  /** Project URL for supabase-js (`/rest/v1` is appended by the client). */
  url: string;
  requests: { method: string; path: string; status: number }[];
  failNext(count: number, status: number): void;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const OPERATORS: Record<string, string> = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=', like: 'LIKE', ilike: 'ILIKE' };
const RESERVED_PARAMS = new Set(['select', 'order', 'limit', 'offset', 'on_conflict', 'columns']);

/** Splits `a,"b,c",d` on commas outside double quotes, unquoting names. */
function splitList(text: string): string[] {
  const items = text.match(/"(?:[^"\\]|\\.)*"|[^,]+/g) ?? [];
  return items.map((item) => item.trim()).map((item) => (item.startsWith('"') ? item.slice(1, -1).replace(/\\(.)/g, '$1') : item));
}

function whereClause(params: URLSearchParams, values: unknown[]): string {
  const conditions: string[] = [];
  for (const [column, expression] of params) {
    if (RESERVED_PARAMS.has(column)) continue;
    let rest = expression;
    const negate = rest.startsWith('not.');
    if (negate) rest = rest.slice(4);
    const dot = rest.indexOf('.');
    const op = rest.slice(0, dot);
    const operand = rest.slice(dot + 1);
    let condition: string;
    if (op === 'is') {
      const literal = { null: 'NULL', true: 'TRUE', false: 'FALSE' }[operand];
      if (!literal) throw new HttpError(400, { code: 'PGRST100', message: `unknown is. value ${operand}` });
      condition = `${ident(column)} IS ${literal}`;
    } else if (op === 'in') {
      const items = splitList(operand.replace(/^\(|\)$/g, ''));
      condition = `${ident(column)}::text = ANY($${values.push(items)}::text[])`;
    } else if (OPERATORS[op]) {
      const pattern = op === 'like' || op === 'ilike' ? operand.replaceAll('*', '%') : operand;
      condition = op === 'like' || op === 'ilike' ? `${ident(column)}::text ${OPERATORS[op]} $${values.push(pattern)}` : `${ident(column)} ${OPERATORS[op]} $${values.push(pattern)}`;
    } else {
      throw new HttpError(400, { code: 'PGRST100', message: `unsupported operator ${op}` });
    }
    conditions.push(negate ? `NOT (${condition})` : condition);
  }
  return conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
}

function orderClause(order: string | null): string {
  if (!order) return '';
  const terms = splitList(order).map((term) => {
    const [column, ...modifiers] = term.split('.');
    const direction = modifiers.includes('desc') ? 'DESC' : 'ASC';
    const nulls = modifiers.includes('nullsfirst') ? ' NULLS FIRST' : modifiers.includes('nullslast') ? ' NULLS LAST' : '';
    return `${ident(column!)} ${direction}${nulls}`;
  });
  return ` ORDER BY ${terms.join(', ')}`;
}

function prefer(header: string | undefined): Map<string, string> {
  return new Map((header ?? '').split(',').map((part) => part.trim().split('=') as [string, string]).filter(([k]) => k));
}

export async function startTestPostgrest(options: { databaseUrl: string; key: string; schema?: string }): Promise<TestPostgrest> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
  const defaultSchema = options.schema ?? 'public';
  const requests: TestPostgrest['requests'] = [];
  let failures: { count: number; status: number } = { count: 0, status: 503 };

  const inTransaction = async <T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  };

  const relationExists = async (client: pg.PoolClient, schema: string, table: string) =>
    (await client.query('SELECT to_regclass($1) IS NOT NULL AS ok', [`${ident(schema)}.${ident(table)}`])).rows[0].ok as boolean;

  async function openApi(client: pg.PoolClient, schema: string): Promise<unknown> {
    const { rows } = await client.query<{ table: string; kind: string; column: string; format: string; notnull: boolean; pk: boolean; fk_table: string | null; fk_column: string | null }>(
      `SELECT c.relname AS table, c.relkind AS kind, a.attname AS column,
              CASE WHEN t.typnamespace = 'pg_catalog'::regnamespace THEN format_type(a.atttypid, NULL) ELSE format_type(a.atttypid, a.atttypmod) END AS format,
              a.attnotnull AS notnull,
              EXISTS (SELECT 1 FROM pg_constraint p WHERE p.conrelid = c.oid AND p.contype = 'p' AND a.attnum = ANY (p.conkey)) AS pk,
              (SELECT r.relname FROM pg_constraint f JOIN pg_class r ON r.oid = f.confrelid WHERE f.conrelid = c.oid AND f.contype = 'f' AND f.conkey = ARRAY[a.attnum] LIMIT 1) AS fk_table,
              (SELECT ra.attname FROM pg_constraint f JOIN pg_attribute ra ON ra.attrelid = f.confrelid AND ra.attnum = f.confkey[1] WHERE f.conrelid = c.oid AND f.contype = 'f' AND f.conkey = ARRAY[a.attnum] LIMIT 1) AS fk_column
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       JOIN pg_type t ON t.oid = a.atttypid
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm') ORDER BY c.relname, a.attnum`,
      [schema],
    );
    const definitions: Record<string, { type: 'object'; required: string[]; properties: Record<string, Record<string, string>> }> = {};
    const paths: Record<string, Record<string, unknown>> = { '/': { get: { summary: 'OpenAPI description (this document)' } } };
    for (const row of rows) {
      const definition = (definitions[row.table] ??= { type: 'object', required: [], properties: {} });
      if (row.notnull) definition.required.push(row.column);
      const notes = [row.pk ? 'This is a Primary Key.<pk/>' : '', row.fk_table ? `This is a Foreign Key to \`${row.fk_table}.${row.fk_column}\`.<fk table='${row.fk_table}' column='${row.fk_column}'/>` : ''].filter(Boolean);
      definition.properties[row.column] = { format: row.format, type: row.format.endsWith('[]') ? 'array' : 'string', ...(notes.length > 0 ? { description: `Note:\n${notes.join('\n')}` } : {}) };
      const writable = row.kind === 'r' || row.kind === 'p';
      paths[`/${row.table}`] = { get: {}, ...(writable ? { post: {}, patch: {}, delete: {} } : {}) };
    }
    return { swagger: '2.0', info: { title: 'PostgREST API (test server)', version: '12' }, basePath: '/', consumes: ['application/json'], produces: ['application/json'], paths, definitions };
  }

  async function handle(req: http.IncomingMessage, body: string): Promise<{ status: number; headers?: Record<string, string>; body?: unknown }> {
    const key = req.headers.apikey;
    const bearer = req.headers.authorization;
    if (key !== options.key || (bearer !== undefined && bearer !== `Bearer ${options.key}`)) {
      return { status: 401, body: { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' } };
    }
    if (failures.count > 0) {
      failures = { ...failures, count: failures.count - 1 };
      return { status: failures.status, headers: { 'Retry-After': '0' }, body: { message: failures.status === 429 ? 'Too Many Requests' : 'Service Unavailable' } };
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = /^\/rest\/v1\/?([^/]*)$/.exec(url.pathname);
    if (!match) return { status: 404, body: { message: 'not found' } };
    const table = decodeURIComponent(match[1]!);
    const schema = (req.headers['accept-profile'] ?? req.headers['content-profile'] ?? defaultSchema) as string;
    const preferences = prefer(req.headers.prefer as string | undefined);
    return inTransaction(async (client) => {
      if (table === '') return { status: 200, body: await openApi(client, schema) };
      if (!(await relationExists(client, schema, table))) {
        throw new HttpError(404, { code: 'PGRST205', message: `Could not find the table '${schema}.${table}' in the schema cache`, hint: null, details: null });
      }
      const relation = `${ident(schema)}.${ident(table)}`;
      const values: unknown[] = [];
      const where = whereClause(url.searchParams, values);
      switch (req.method) {
        case 'GET':
        case 'HEAD': {
          const select = url.searchParams.get('select') ?? '*';
          const columns = select === '*' ? '*' : splitList(select).map(ident).join(', ');
          let limit = url.searchParams.get('limit');
          let offset = url.searchParams.get('offset');
          const range = /^(\d+)-(\d*)$/.exec((req.headers.range as string | undefined) ?? '');
          if (range) {
            offset = range[1]!;
            if (range[2]) limit = String(Number(range[2]) - Number(range[1]) + 1);
          }
          const page = `${limit ? ` LIMIT ${Number(limit)}` : ''}${offset ? ` OFFSET ${Number(offset)}` : ''}`;
          const { rows } = await client.query(`SELECT coalesce(json_agg(r), '[]') AS rows FROM (SELECT ${columns} FROM ${relation}${where}${orderClause(url.searchParams.get('order'))}${page}) r`, values);
          const data = rows[0].rows as unknown[];
          const start = Number(offset ?? 0);
          const headers: Record<string, string> = {};
          let total = '*';
          if (preferences.has('count')) total = String((await client.query(`SELECT count(*)::int AS n FROM ${relation}${where}`, values)).rows[0].n);
          headers['Content-Range'] = data.length === 0 ? `*/${total}` : `${start}-${start + data.length - 1}/${total}`;
          return { status: 200, headers, body: req.method === 'HEAD' ? undefined : data };
        }
        case 'POST': {
          const payload = JSON.parse(body || '[]') as unknown;
          const rows = Array.isArray(payload) ? payload : [payload];
          const columnParam = url.searchParams.get('columns');
          const names = columnParam ? splitList(columnParam) : [...new Set(rows.flatMap((row) => Object.keys(row as object)))];
          if (rows.length === 0) return { status: 201 };
          const list = names.map(ident).join(', ');
          let conflict = '';
          const resolution = preferences.get('resolution');
          if (resolution) {
            const keys = splitList(url.searchParams.get('on_conflict') ?? '');
            const updates = names.filter((n) => !keys.includes(n)).map((n) => `${ident(n)} = EXCLUDED.${ident(n)}`);
            conflict = ` ON CONFLICT (${keys.map(ident).join(', ')}) ${resolution === 'ignore-duplicates' || updates.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${updates.join(', ')}`}`;
          }
          await client.query(`INSERT INTO ${relation} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${relation}, $1)${conflict}`, [JSON.stringify(rows)]);
          return { status: 201 };
        }
        case 'DELETE':
          await client.query(`DELETE FROM ${relation}${where}`, values);
          return { status: 204 };
        default:
          return { status: 405, body: { message: `method ${req.method} not supported by the test server` } };
      }
    });
  }

  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      handle(req, body)
        .catch((err: unknown): { status: number; headers?: Record<string, string>; body?: unknown } => {
          if (err instanceof HttpError) return { status: err.status, body: err.body };
          const e = err as { code?: string; message?: string; detail?: string; hint?: string };
          // PostgREST's mapping of PostgreSQL errors to HTTP statuses (the ones the connector meets).
          const status = e.code === '23505' ? 409 : e.code === '42P01' ? 404 : e.code?.startsWith('08') ? 503 : 400;
          return { status, body: { code: e.code ?? 'PGRST000', message: e.message ?? String(err), details: e.detail ?? null, hint: e.hint ?? null } };
        })
        .then((response) => {
          requests.push({ method: req.method ?? '', path: req.url ?? '', status: response.status });
          res.writeHead(response.status, { 'Content-Type': 'application/json; charset=utf-8', ...response.headers });
          res.end(response.body === undefined ? undefined : JSON.stringify(response.body));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext: (count, status) => void (failures = { count, status }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
