import { main } from './cli.js';

await main(process.argv);
// Workers and gRPC channels are closed by the commands; exit explicitly so a lingering handle never hangs the shell.
process.exit(process.exitCode ?? 0);
