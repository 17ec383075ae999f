/**
 * Streamable HTTP for `osiris mcp --http`: one MCP server per client session (so each knows its
 * client's name), all at POST/GET/DELETE /mcp. Loopback by default; when bound to loopback the
 * Host header must name it too (DNS-rebinding protection).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export interface HttpOptions {
  host: string;
  port: number;
  createServer(): McpServer;
  log(line: string): void;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export async function serveHttp(o: HttpOptions): Promise<Server> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const allowedHosts = LOOPBACK.has(o.host) ? [`127.0.0.1:${o.port}`, `localhost:${o.port}`, `[::1]:${o.port}`] : undefined;
  const http = createServer((req, res) => {
    void (async () => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== '/mcp') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Not found: the MCP endpoint is /mcp' }));
        return;
      }
      const id = req.headers['mcp-session-id'];
      let transport = typeof id === 'string' ? sessions.get(id) : undefined;
      if (!transport) {
        // A new session; the transport itself refuses anything but `initialize` without a session id.
        const created = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (sessionId) => void sessions.set(sessionId, created),
          enableDnsRebindingProtection: allowedHosts !== undefined,
          allowedHosts,
        });
        created.onclose = () => {
          if (created.sessionId) sessions.delete(created.sessionId);
        };
        await o.createServer().connect(created);
        transport = created;
      }
      await transport.handleRequest(req, res);
    })().catch((err: unknown) => {
      o.log(`http request failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'internal error' }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(o.port, o.host, () => resolve());
  });
  return http;
}
