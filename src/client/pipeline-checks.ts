import { existsSync } from 'node:fs';
import path from 'node:path';
import { CONNECTIONS_FILE, DEMO_REFERENCE, readConnectionsFile } from '../connections/resolver.js';
import { missingEnvVars } from '../connections/env-vars.js';
import type { ProjectConfig } from '../config/project-config.js';
import { checkInputPath, INPUT_PATH_HINT } from '../connectors/filesystem/input-path.js';
import { parseConnectionRef } from '../connections/ref.js';
import type { ConfigChecks, ConnectionCheck } from '../oml/config-rules.js';

/**
 * The validation rules that need this project: transform SQL through DuckDB's parser, input files
 * inside the input directory, and connection references against osiris_connections.yaml (when the
 * project has one: without it, the workers' own file decides).
 */
export function pipelineChecks(config: Pick<ProjectConfig, 'projectDir' | 'inputDir'>): ConfigChecks {
  const root = config.inputDir ?? config.projectDir;
  return {
    // DuckDB (its parser checks the SQL) costs ~0.4 s to load: only a pipeline with transform SQL pays it.
    checkTransformSql: async (sql) => (await import('../dataplane/sql-guard.js')).checkTransformSql(sql),
    checkInputPath: async (input) => {
      const verdict = await checkInputPath(root, input);
      return verdict.ok ? { ok: true, exists: verdict.exists } : { ok: false, reason: verdict.reason, hint: INPUT_PATH_HINT };
    },
    ...(existsSync(path.join(config.projectDir, CONNECTIONS_FILE)) ? { checkConnection: connectionCheck(config.projectDir) } : {}),
  };
}

function connectionCheck(projectDir: string): ConnectionCheck {
  const file = readConnectionsFile(projectDir);
  return (reference) => {
    const ref = parseConnectionRef(reference);
    if (!ref) return undefined;
    const values = file.connections[ref.family]?.[ref.alias];
    if (!values) {
      if (reference === DEMO_REFERENCE) return undefined;
      const known = Object.keys(file.connections[ref.family] ?? {}).map((alias) => `@${ref.family}.${alias}`);
      return {
        severity: 'error',
        rule: 'unknown-connection',
        message: `connection ${reference} is not defined in ${CONNECTIONS_FILE}`,
        hint: known.length > 0 ? `Defined ${ref.family} connections: ${known.join(', ')}.` : `Add it under connections: ${ref.family}: ${ref.alias}: in ${CONNECTIONS_FILE}.`,
      };
    }
    const missing = [...new Set(Object.values(values).flatMap((v) => (typeof v === 'string' ? missingEnvVars(v) : [])))];
    if (missing.length === 0) return undefined;
    // A warning: the run's worker may have its own environment (a shared server, an e2b host).
    return {
      severity: 'warning',
      rule: 'connection-env-missing',
      message: `connection ${reference} uses ${missing.map((n) => `\${${n}}`).join(', ')}, not set here`,
      hint: `Set ${missing.join(', ')} in the environment or in .env before the run (on the worker that runs it, with a shared Temporal server).`,
    };
  };
}
