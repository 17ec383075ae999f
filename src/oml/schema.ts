import { z } from 'zod';

/** Pipeline names become part of workflow ids and file names, so keep them to a safe alphabet. */
const PIPELINE_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;

export const paramValueSchema = z.union([z.string(), z.number(), z.boolean()]);

export const omlStepSchema = z.strictObject({
  id: z.string().min(1),
  component: z.string().min(1),
  mode: z.enum(['read', 'transform', 'write']),
  config: z.record(z.string(), z.unknown()),
  needs: z.array(z.string().min(1)).optional(),
});

/** OML v0.1.0: strict at the top level and per step, so typos are reported instead of ignored. */
export const omlDocumentSchema = z.strictObject({
  oml_version: z.literal('0.1.0'),
  // Part of workflow ids, schedule ids and file names.
  name: z.string().regex(PIPELINE_NAME_PATTERN, 'must use lowercase letters, digits, - and _ (starting with a letter or digit)').max(100),
  description: z.string().optional(),
  params: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'param names use letters, digits and _'), paramValueSchema).optional(),
  steps: z.array(omlStepSchema).min(1),
});

export type OmlStep = z.infer<typeof omlStepSchema>;
export type OmlDocument = z.infer<typeof omlDocumentSchema>;
