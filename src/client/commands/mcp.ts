import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { agentSettings } from '../conversation-client.js';
import { loadProjectConfig } from '../../config/project-config.js';
import { serveHttp } from '../../mcp/http.js';
import { requireMcpWorkers } from '../../mcp/require-workers.js';
import { createOsirisMcpServer, type McpContextFactory } from '../../mcp/server.js';
import { createWorkerCalls } from '../../mcp/workers.js';
import { EXIT } from '../output.js';
import { openTemporal } from '../temporal-connection.js';
import { webUiWorkflowUrl } from '../web-ui-url.js';
import { packageVersion } from '../../package-root.js';

export interface McpOptions {
  http?: boolean;
  port?: number;
  host: string;
  uiUrl?: string;
  /** The project directory (osiris.yaml); default: the working directory. */
  project?: string;
}

/** Everything goes to stderr: on stdio, stdout carries the protocol. */
const log = (line: string) => process.stderr.write(`osiris mcp: ${line}\n`);

/**
 * `osiris mcp`: the MCP server, a Temporal client only. Serves until stdin closes (stdio) or until
 * SIGINT/SIGTERM (HTTP).
 */
export async function mcpCommand(opts: McpOptions): Promise<number> {
  // .env is left unread: it may hold connection secrets, which only the workers may see.
  const config = loadProjectConfig(opts.project ?? process.cwd(), process.env, { dotenv: false });
  await requireMcpWorkers(config);
  const temporal = await openTemporal(config, log);
  const uiUrl = opts.uiUrl?.replace(/\/+$/, '') ?? temporal.uiUrl;
  const workers = createWorkerCalls(temporal.client, agentSettings(config));
  const context: McpContextFactory = (clientName) => ({
    client: temporal.client,
    config,
    workers,
    clientName,
    webUi: (workflowId) => (uiUrl ? webUiWorkflowUrl(uiUrl, temporal.namespace, workflowId) : undefined),
  });
  const create = () => createOsirisMcpServer({ version: packageVersion(), context, log });
  try {
    if (opts.http) {
      const server = await serveHttp({ host: opts.host, port: opts.port ?? 7800, createServer: create, log });
      const address = server.address();
      log(`listening on http://${opts.host}:${typeof address === 'object' && address ? address.port : opts.port}/mcp (Temporal ${temporal.address})`);
      await new Promise<void>((resolve) => {
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
      });
      server.close();
    } else {
      const transport = new StdioServerTransport();
      const closed = new Promise<void>((resolve) => {
        transport.onclose = () => resolve();
        process.stdin.once('end', () => resolve());
      });
      await create().connect(transport);
      log(`serving on stdio (Temporal ${temporal.address})`);
      await closed;
    }
    return EXIT.ok;
  } finally {
    await temporal.close();
  }
}
