/**
 * The agent's composition root: what a tool needs from the world (connections, discovery, the OML
 * compiler, the pipeline preview), wired once for the activities, the eval and the MCP server's
 * tool workflow alike.
 */
import { createConnectionResolver } from '../connections/resolver.js';
import type { ProjectConfig } from '../config/project-config.js';
import type { DiscoveryClient } from '../connectors/discovery.js';
import { openDiscovery } from '../connectors/families.js';
import type { ConnectionResolver, ResolvedConnection } from '../connections/types.js';
import { compileOml, type CompileResult } from '../oml/compile.js';
import type { Manifest } from '../oml/manifest.js';
import { executeStep } from '../runtime/execute-step.js';
import { checkTransformSql } from '../dataplane/sql-guard.js';
import type { DiscoveryCache } from './discovery-cache.js';
import { existingOutputs } from './existing-outputs.js';
import { previewPipeline, type PipelinePreview } from './preview-pipeline.js';
import type { ExistingOutput } from './tool-content.js';
import type { AgentSettings } from './types.js';

export interface ToolContext {
  settings: AgentSettings;
  resolveConnection: ConnectionResolver;
  openDiscovery(connection: ResolvedConnection): Promise<DiscoveryClient>;
  cache: DiscoveryCache;
  /** Validates and compiles OML; throws OmlInvalidError (with `.problems`) when invalid. */
  compile(omlText: string): Promise<CompileResult>;
  /** Runs a compiled pipeline's reads and transforms on a sample (see preview-pipeline.ts); throws SqlPreviewError. */
  previewPipeline?(manifest: Manifest): Promise<PipelinePreview | undefined>;
  /** Files the pipeline would write that already exist, with the pipeline that wrote each (see existing-outputs.ts). */
  existingOutputs?(manifest: Manifest): Promise<ExistingOutput[]>;
}

export interface ToolContextOptions {
  /** Without an output directory (the eval writes into a fresh one per task), existing files are not looked for. */
  config: Pick<ProjectConfig, 'projectDir' | 'stateDir'> & Partial<Pick<ProjectConfig, 'outputDir'>>;
  settings: AgentSettings;
  cache: DiscoveryCache;
  /** Told every secret value a tool resolves, so the caller can mask it in what it reports. */
  onSecret?: (secret: string) => void;
  /** Where connections come from; default osiris_connections.yaml of the project (the eval adds its suite's database). */
  resolveConnection?: ConnectionResolver;
}

export function createToolContext(o: ToolContextOptions): ToolContext {
  const resolve = o.resolveConnection ?? createConnectionResolver(o.config);
  const outputDir = o.config.outputDir;
  const resolveConnection: ConnectionResolver = async (ref) => {
    const resolved = await resolve(ref);
    for (const secret of resolved.secrets ?? []) o.onSecret?.(secret);
    return resolved;
  };
  return {
    settings: o.settings,
    resolveConnection,
    openDiscovery,
    cache: o.cache,
    compile: (text) => compileOml(text, { checkTransformSql }),
    previewPipeline: (manifest) => previewPipeline(manifest, o.settings.sampleSize, { projectDir: o.config.projectDir, resolveConnection, executeStep }),
    existingOutputs: outputDir === undefined ? undefined : (manifest) => existingOutputs(manifest, { outputDir, stateDir: o.config.stateDir }),
  };
}
