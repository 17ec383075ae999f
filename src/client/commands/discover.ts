import pc from 'picocolors';
import { createConnectionResolver } from '../../connections/resolver.js';
import { loadProjectConfig } from '../../config/project-config.js';
import { openDiscovery } from '../../connectors/families.js';
import { maskSecrets } from '../../connections/secrets.js';
import { OsirisError } from '../../errors.js';
import { EXIT, formatCount } from '../output.js';
import { formatRows } from '../render-reply.js';

/**
 * `osiris discover [@family.alias] [--table T]`: what the agent would learn about a source, straight
 * from the database (no Temporal needed): tables with row estimates, or one table's columns, keys
 * and a sample.
 */
export async function discoverCommand(ref: string | undefined, opts: { table?: string; sample: number; json?: boolean }): Promise<number> {
  const config = loadProjectConfig();
  const connection = await createConnectionResolver(config)(ref ?? config.agent.connection);
  const discovery = await openDiscovery(connection);
  try {
    if (!opts.table) {
      const tables = await discovery.listTables();
      if (opts.json) process.stdout.write(JSON.stringify(tables, null, 2) + '\n');
      else {
        const width = Math.max(4, ...tables.map((t) => t.name.length));
        for (const t of tables) process.stdout.write(`${t.name.padEnd(width)}  ${pc.dim(t.kind.padEnd(5))} ${t.rowEstimate === undefined ? '' : `${formatCount(t.rowEstimate)} rows`}\n`);
      }
      return EXIT.ok;
    }
    const [detail, sample] = await Promise.all([discovery.describeTable(opts.table), discovery.sampleRows(opts.table, opts.sample)]);
    if (opts.json) {
      process.stdout.write(JSON.stringify({ ...detail, sample }, null, 2) + '\n');
      return EXIT.ok;
    }
    process.stdout.write(`${pc.bold(detail.name)} ${pc.dim(`${detail.kind}${detail.rowEstimate === undefined ? '' : `, ~${formatCount(detail.rowEstimate)} rows`}`)}\n`);
    for (const c of detail.columns) {
      const key = detail.primaryKey.includes(c.name) ? pc.yellow(' PK') : '';
      const fk = detail.foreignKeys.find((f) => f.columns.includes(c.name));
      process.stdout.write(`  ${c.name.padEnd(24)} ${c.type.padEnd(16)} ${c.nullable ? pc.dim('null') : 'not null'}${key}${fk ? pc.cyan(` -> ${fk.refTable}(${fk.refColumns.join(', ')})`) : ''}\n`);
    }
    process.stdout.write(`\n${formatRows(sample)}\n`);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof OsirisError) throw new OsirisError(err.code, maskSecrets(err.message, connection.secrets ?? []), { hint: err.hint, retryable: err.retryable });
    throw err;
  } finally {
    await discovery.close();
  }
}
