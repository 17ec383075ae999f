import path from 'node:path';
import { loadProjectConfig } from '../../config/project-config.js';
import { isListening, startDevServer, stopEmbeddedServer } from '../dev-server.js';
import { EXIT } from '../output.js';
import { stopProjectWorker } from '../project-worker.js';
import { ensureTemporalCli, temporalCliVersion } from '../temporal-cli.js';

const log = (line: string) => process.stderr.write(line + '\n');

/** `osiris server`: the dev server in the foreground, state in `.osiris/temporal.db`, Web UI on 8233. */
export async function serverStartCommand(opts: { port?: number; uiPort?: number }): Promise<number> {
  const config = loadProjectConfig();
  const port = opts.port ?? config.temporal.port;
  const uiPort = opts.uiPort ?? config.temporal.ui_port;
  const address = `127.0.0.1:${port}`;
  if (await isListening(address)) {
    // The dev server would exit 13 without a word: say what is there instead.
    process.stderr.write(`error: a server is already listening on ${address}${config.embedded ? ' (the embedded server, started by an earlier command)' : ''}\nhint: use it as it is (Web UI http://localhost:${uiPort}), or stop it first with \`osiris server stop\`, or pick another --port.\n`);
    return EXIT.failed;
  }
  const cli = ensureTemporalCli({ install: true, log });
  const server = await startDevServer({
    cli,
    port,
    uiPort,
    namespace: config.temporal.namespace,
    dbFile: path.join(config.stateDir, 'temporal.db'),
    logFile: path.join(config.stateDir, 'temporal.log'),
    detached: false,
  });
  process.stdout.write(`Temporal dev server on ${server.address}, Web UI ${server.uiUrl} (state ${config.stateDir}/temporal.db). Ctrl-C to stop.\n`);
  const stop = () => server.process.kill('SIGTERM');
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const code = await new Promise<number>((resolve) => server.process.once('exit', (c) => resolve(c ?? 0)));
  return code === 0 || code === null ? EXIT.ok : EXIT.failed;
}

export function serverInstallCommand(): number {
  const cli = ensureTemporalCli({ install: true, log });
  process.stdout.write(`${cli}\n${temporalCliVersion(cli)}\n`);
  return EXIT.ok;
}

export async function serverStatusCommand(): Promise<number> {
  const config = loadProjectConfig();
  const up = await isListening(config.temporalAddress);
  process.stdout.write(`${config.temporalAddress} ${up ? 'is up' : 'is not answering'}${config.embedded ? ' (embedded)' : ''}\n`);
  return up ? EXIT.ok : EXIT.unavailable;
}

/** Stops the project worker first: it would only wait for a server that is gone. */
export async function serverStopCommand(): Promise<number> {
  const config = loadProjectConfig();
  const worker = await stopProjectWorker(config.stateDir);
  if (worker) process.stdout.write(`Stopped the project worker (pid ${worker.pid}).\n`);
  const stopped = stopEmbeddedServer(config.stateDir);
  process.stdout.write(stopped ? 'Stopped the embedded Temporal server.\n' : 'No embedded Temporal server was running.\n');
  return EXIT.ok;
}
