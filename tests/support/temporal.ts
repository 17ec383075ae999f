import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startDevServer, stopDevServer } from '../../src/client/dev-server.js';
import { ensureTemporalCli } from '../../src/client/temporal-cli.js';

export interface TestTemporal {
  address: string;
  uiPort: number;
  namespace: string;
  stop(): Promise<void>;
}

/**
 * A real Temporal dev server owned by one test file: in-memory state, free ports. A machine
 * without the Temporal CLI fails here (never skips): `.ci/run` installs it.
 */
export async function startTestTemporal(options: { dynamicConfig?: string[]; uiCodecEndpoint?: string } = {}): Promise<TestTemporal> {
  const cli = ensureTemporalCli({ install: false });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'osiris-temporal-'));
  const port = await freePort();
  const uiPort = await freePort();
  const server = await startDevServer({
    cli,
    port,
    uiPort,
    namespace: 'default',
    logFile: path.join(dir, 'temporal.log'),
    detached: false,
    dynamicConfig: options.dynamicConfig,
    uiCodecEndpoint: options.uiCodecEndpoint,
    startTimeoutMs: 90_000,
  });
  return { address: server.address, uiPort, namespace: 'default', stop: () => stopDevServer(server) };
}
