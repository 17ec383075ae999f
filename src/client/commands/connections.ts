import pc from 'picocolors';
import { createConnectionResolver, listConnections } from '../../connections/resolver.js';
import { loadProjectConfig } from '../../config/project-config.js';
import { testConnection } from '../../connectors/connection-test.js';
import { isOsirisError } from '../../errors.js';
import { maskSecrets } from '../../connections/secrets.js';
import { EXIT } from '../output.js';

export function connectionsListCommand(opts: { json?: boolean }): number {
  const listing = listConnections(loadProjectConfig());
  if (opts.json) {
    process.stdout.write(JSON.stringify(listing, null, 2) + '\n');
    return EXIT.ok;
  }
  for (const c of listing) {
    const values = Object.entries(c.display).map(([k, v]) => `${k}=${v}`).join('  ');
    process.stdout.write(`${pc.bold(c.reference.padEnd(20))} ${pc.dim(values)}${c.builtin ? pc.dim('  (built in)') : ''}\n`);
  }
  return EXIT.ok;
}

/** Opens each connection for real and reports what it found; secrets are masked in every message. */
export async function connectionsTestCommand(refs: string[]): Promise<number> {
  const config = loadProjectConfig();
  const resolve = createConnectionResolver(config);
  const targets = refs.length > 0 ? refs : listConnections(config).map((c) => c.reference);
  let failed = 0;
  for (const ref of targets) {
    let secrets: string[] = [];
    try {
      const resolved = await resolve(ref);
      secrets = resolved.secrets ?? [];
      const detail = await testConnection(resolved);
      process.stdout.write(`${pc.green('ok')}      ${ref}  ${pc.dim(detail)}\n`);
    } catch (err) {
      failed++;
      const message = maskSecrets(err instanceof Error ? err.message : String(err), secrets);
      process.stdout.write(`${pc.red('failed')}  ${ref}  ${message}\n`);
      if (isOsirisError(err)) process.stdout.write(`        ${pc.yellow('hint:')} ${maskSecrets(err.hint, secrets)}\n`);
    }
  }
  return failed === 0 ? EXIT.ok : EXIT.failed;
}
