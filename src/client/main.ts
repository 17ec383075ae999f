import { enableCompileCache } from './compile-cache.js';

// Before anything else is imported: the packages below are compiled from the cache.
enableCompileCache();
const { main } = await import('./cli.js');

// Piped into `head`, stdout closes early: stop quietly instead of dying on an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

await main(process.argv);
// Workers and gRPC channels are closed by the commands; exit explicitly so a lingering handle never hangs the shell.
process.exit(process.exitCode ?? 0);
