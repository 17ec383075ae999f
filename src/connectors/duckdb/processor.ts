import { OsirisError } from '../../errors.js';
import type { ManifestStep } from '../../oml/manifest.js';
import { checkTransformSql } from '../../dataplane/sql-guard.js';
import { attachInputs, produceStepOutput, quoteIdent } from '../../dataplane/step-db.js';
import type { RunContext, StepOptions } from '../../dataplane/step-contract.js';
import type { StepOutcome } from '../../dataplane/step-contract.js';
import { duckdbProcessorSpec } from './spec.js';

/**
 * Runs the step's SELECT over its inputs into `df_<id>`. The query must pass the SQL guard, and runs
 * only after external access is switched off and the configuration locked, so even a query the guard
 * misjudged cannot read files, attach databases or turn access back on.
 */
export async function runDuckdbProcessor(step: ManifestStep, ctx: RunContext, options: StepOptions): Promise<StepOutcome> {
  const { query } = duckdbProcessorSpec.config.parse(step.config) as { query: string };
  const verdict = await checkTransformSql(query);
  if (!verdict.ok) {
    throw new OsirisError('SQL_REFUSED', `Step "${step.id}": query refused: ${verdict.reason}`, { hint: verdict.hint });
  }
  const rows = await produceStepOutput(step, ctx, async (conn) => {
    await attachInputs(conn, step, ctx);
    await conn.run('SET enable_external_access = false');
    await conn.run('SET lock_configuration = true');
    // The guard proved `query` is exactly one SELECT, so it can stand as the body of CREATE TABLE AS.
    await conn.run(`CREATE TABLE ${quoteIdent(step.output_table)} AS\n${query}`);
  });
  options.onProgress?.({ stepId: step.id, rows });
  return { rows, outputs: [] };
}
