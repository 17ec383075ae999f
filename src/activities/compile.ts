import { compileOml } from '../oml/compile.js';
import { checkTransformSql } from '../dataplane/sql-guard.js';
import { toActivityFailure } from './failures.js';
import type { CompileActivities } from './types.js';

/** Compiles OML given as workflow input (for pipelines started from a user's own workflow or client). */
export function createCompileActivities(): CompileActivities {
  return {
    async compilePipeline({ oml, params }) {
      try {
        const { manifest, fingerprint, warnings } = await compileOml(oml, { params, checkTransformSql });
        return { manifest, fingerprint, warnings };
      } catch (err) {
        // An invalid pipeline is not retryable: OmlInvalidError carries every problem in its message.
        throw toActivityFailure(err, []);
      }
    },
  };
}
