import { Client, Connection } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import type { ProjectConfig } from '../config/project-config.js';
import { OsirisError } from '../errors.js';
import { ensureEmbeddedServer } from './dev-server.js';
import { retryTransient } from './retry-transient.js';
import { ensureTemporalCli } from './temporal-cli.js';

/** How long a command keeps trying to connect before it reports Temporal unreachable (README). */
export const CONNECT_RETRY_MS = 30_000;

export interface TemporalSession {
  client: Client;
  /** For in-process workers (embedded mode). */
  nativeConnection: () => Promise<NativeConnection>;
  address: string;
  namespace: string;
  /** Web UI base URL when known (embedded server), for links. */
  uiUrl?: string;
  /** True when this command started the embedded server (a cold start). */
  startedServer: boolean;
  close(): Promise<void>;
}

export function webUiWorkflowUrl(uiUrl: string, namespace: string, workflowId: string, runId?: string): string {
  const base = `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${runId}/history` : base;
}

/**
 * Connects to the configured Temporal server, or in embedded mode starts/reuses the dev server
 * whose state lives in `.osiris/`. Unreachable servers become an error saying what to check.
 */
export async function openTemporal(config: ProjectConfig, log: (line: string) => void = () => {}): Promise<TemporalSession> {
  let uiUrl: string | undefined;
  let startedServer = false;
  if (config.embedded) {
    const server = await ensureEmbeddedServer({
      cli: () => ensureTemporalCli({ install: true, log }),
      stateDir: config.stateDir,
      port: config.temporal.port,
      uiPort: config.temporal.ui_port,
      namespace: config.temporal.namespace,
    });
    uiUrl = server.uiUrl;
    startedServer = server.started;
    if (server.started) log(`Started the Temporal dev server on ${server.address} (state in ${config.stateDir}/temporal.db)`);
  }
  const address = config.temporalAddress;
  let connection: Connection;
  try {
    // Retried for a bounded time: a loaded machine or a restarting server is not "unreachable".
    connection = await retryTransient(
      async () => {
        const c = await Connection.connect({ address, connectTimeout: 5_000 });
        try {
          await c.workflowService.describeNamespace({ namespace: config.temporal.namespace });
          return c;
        } catch (err) {
          await c.close();
          throw err;
        }
      },
      { totalMs: CONNECT_RETRY_MS, onRetry: () => log(`Temporal at ${address} is not answering; retrying for up to ${CONNECT_RETRY_MS / 1000}s...`) },
    );
  } catch (err) {
    throw new OsirisError('TEMPORAL_UNAVAILABLE', `Cannot reach Temporal at ${address} (namespace ${config.temporal.namespace}): ${(err as Error).message}`, {
      hint: config.embedded
        ? 'The embedded server did not answer; see .osiris/temporal.log, or stop it with `osiris server stop` and retry.'
        : 'Check TEMPORAL_ADDRESS / temporal.address in osiris.yaml and that the server is running (`osiris server` starts one).',
      cause: err,
    });
  }
  const client = new Client({ connection, namespace: config.temporal.namespace });
  let native: NativeConnection | undefined;
  return {
    client,
    address,
    namespace: config.temporal.namespace,
    uiUrl,
    startedServer,
    // The worker SDK is imported only by commands that run workers (it costs ~0.5 s to load).
    nativeConnection: async () => (native ??= await (await import('@temporalio/worker')).NativeConnection.connect({ address })),
    async close() {
      await connection.close();
      await native?.close();
    },
  };
}
