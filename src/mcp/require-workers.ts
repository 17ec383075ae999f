import type { ProjectConfig } from '../config/project-config.js';
import { OsirisError } from '../errors.js';

/**
 * Where the MCP server's workers come from: it never hosts any (it would then hold the connection
 * secrets). With a shared server (TEMPORAL_ADDRESS) they are `osiris worker` processes; in embedded
 * mode there is nobody to run them yet, so the server refuses to start and says what to run.
 */
export async function requireMcpWorkers(config: Pick<ProjectConfig, 'embedded'>): Promise<void> {
  if (!config.embedded) return;
  throw new OsirisError('TEMPORAL_UNAVAILABLE', 'osiris mcp runs no workers of its own, and without TEMPORAL_ADDRESS there is no shared server for workers to join', {
    hint: 'In this project run `osiris server` and, with TEMPORAL_ADDRESS=127.0.0.1:7233, `osiris worker`; then start osiris mcp with the same TEMPORAL_ADDRESS.',
  });
}
