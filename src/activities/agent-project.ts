/**
 * Project actions for clients that hold no secrets and read no project files (the MCP server):
 * list and test connections, validate and compile OML, explain a run. Control queue; each result
 * is secret-free JSON.
 */
import { createConnectionResolver, listConnections } from '../connections/resolver.js';
import { maskSecrets } from '../connections/secrets.js';
import type { ProjectConfig } from '../config/project-config.js';
import { testConnection } from '../connectors/connection-test.js';
import { isOsirisError } from '../errors.js';
import { compileOml } from '../oml/compile.js';
import { OmlInvalidError } from '../oml/errors.js';
import type { Problem } from '../oml/problem.js';
import { validateOml } from '../oml/validate.js';
import { checkTransformSql } from '../dataplane/sql-guard.js';
import { explainRecordedRun } from '../client/report/explain-run.js';
import type { Finding, ProjectActivities } from './agent-types.js';
import { toActivityFailure } from './failures.js';

function toFinding(p: Problem): Finding {
  return { severity: p.severity, rule: p.rule, path: p.path, line: p.line, column: p.column, message: p.message, fix: p.hint };
}

export function createProjectActivities(config: Pick<ProjectConfig, 'projectDir' | 'stateDir'>): ProjectActivities {
  const resolve = createConnectionResolver(config);
  return {
    async listProjectConnections() {
      try {
        const entries = [];
        for (const { reference, family, display, builtin } of listConnections(config)) {
          // Belt and braces for clients: a secret under a key not named like one (a DSN, a URL) is masked too.
          const secrets = (await resolve(reference).catch(() => undefined))?.secrets ?? [];
          const masked = Object.fromEntries(Object.entries(display).map(([key, value]) => [key, maskSecrets(value, secrets)]));
          entries.push({ reference, family, display: masked, builtin });
        }
        return entries;
      } catch (err) {
        throw toActivityFailure(err, []);
      }
    },

    async testProjectConnections({ refs }) {
      const targets = refs.length > 0 ? refs : listConnections(config).map((c) => c.reference);
      const checks = [];
      for (const reference of targets) {
        let secrets: string[] = [];
        try {
          const resolved = await resolve(reference);
          secrets = resolved.secrets ?? [];
          checks.push({ reference, ok: true, detail: await testConnection(resolved) });
        } catch (err) {
          const message = maskSecrets(err instanceof Error ? err.message : String(err), secrets);
          checks.push({ reference, ok: false, error: { code: isOsirisError(err) ? err.code : 'CONNECTION_FAILED', message, hint: isOsirisError(err) ? maskSecrets(err.hint, secrets) : undefined } });
        }
      }
      return checks;
    },

    async validatePipelineText({ oml, params }) {
      const report = await validateOml(oml, { params, checkTransformSql });
      return { valid: report.ok, findings: report.problems.map(toFinding) };
    },

    async compilePipelineText({ oml, params }) {
      try {
        const { manifest, fingerprint, warnings } = await compileOml(oml, { params, checkTransformSql });
        return { ok: true, name: manifest.pipeline.name, fingerprint, manifest, warnings: warnings.map(toFinding) };
      } catch (err) {
        if (err instanceof OmlInvalidError) return { ok: false, findings: err.problems.map(toFinding) };
        throw toActivityFailure(err, []);
      }
    },

    async explainRun({ run }) {
      try {
        return await explainRecordedRun(config, run);
      } catch (err) {
        throw toActivityFailure(err, []);
      }
    },
  };
}
