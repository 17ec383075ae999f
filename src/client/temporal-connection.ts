import { Client, Connection } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import type { ProjectConfig } from '../config/project-config.js';
import { OsirisError } from '../errors.js';
import { explainConnectError, projectConnectionOptions } from '../temporal/connection-options.js';
import { osirisDataConverter } from '../temporal/data-converter.js';
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
  const namespace = config.temporal.namespace;
  // The embedded dev server is plaintext on localhost; TLS and keys are for a configured server.
  const target = config.embedded ? { namespace } : config.temporalTarget;
  const options = projectConnectionOptions(config);
  // A refused certificate looks like an unreachable server to gRPC; say which setting is wrong at once
  // instead of retrying. The error carries no cause, so it is never taken for a transient one.
  const settingProblem = async (err: unknown): Promise<OsirisError | undefined> => {
    if (config.embedded) return undefined;
    const explained = await explainConnectError(err, target, options, namespace);
    return explained.message.startsWith('Cannot reach') ? undefined : new OsirisError(explained.code, explained.message, { hint: explained.hint });
  };
  let connection: Connection;
  try {
    // Retried for a bounded time: a loaded machine or a restarting server is not "unreachable".
    connection = await retryTransient(
      async () => {
        const c = await Connection.connect({ ...options, connectTimeout: 5_000 }).catch(async (err: unknown) => {
          throw (await settingProblem(err)) ?? err;
        });
        try {
          await c.workflowService.describeNamespace({ namespace });
          return c;
        } catch (err) {
          await c.close();
          throw err;
        }
      },
      { totalMs: CONNECT_RETRY_MS, onRetry: () => log(`Temporal at ${address} is not answering; retrying for up to ${CONNECT_RETRY_MS / 1000}s...`) },
    );
  } catch (err) {
    if (!config.embedded) throw await explainConnectError(err, target, options, namespace);
    throw new OsirisError('TEMPORAL_UNAVAILABLE', `Cannot reach Temporal at ${address} (namespace ${namespace}): ${(err as Error).message}`, {
      hint: 'The embedded server did not answer; see .osiris/temporal.log, or stop it with `osiris server stop` and retry.',
      cause: err,
    });
  }
  const client = new Client({ connection, namespace, dataConverter: osirisDataConverter() });
  let native: NativeConnection | undefined;
  const connectNative = async () => {
    try {
      const { NativeConnection } = await import('@temporalio/worker');
      return await NativeConnection.connect(options);
    } catch (err) {
      throw await explainConnectError(err, target, options, namespace);
    }
  };
  return {
    client,
    address,
    namespace,
    uiUrl,
    startedServer,
    // The worker SDK is imported only by commands that run workers (it costs ~0.5 s to load).
    nativeConnection: async () => (native ??= await connectNative()),
    async close() {
      await connection.close();
      await native?.close();
    },
  };
}
