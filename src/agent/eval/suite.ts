/** An eval suite: natural-language tasks, each with the SQL whose result the pipeline must reproduce. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { OsirisError } from '../../errors.js';

const taskSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, - and _'),
  prompt: z.string().min(1),
  /** Run read-only on the suite's connection; its rows are the expected output (order ignored). */
  reference_sql: z.string().min(1),
  difficulty: z.enum(['easy', 'medium', 'hard']).default('medium'),
});

const suiteSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().min(1),
  connection: z.string().default('@sqlite.demo'),
  tasks: z.array(taskSchema).min(1),
});

export type EvalTask = z.infer<typeof taskSchema>;
export type EvalSuite = z.infer<typeof suiteSchema>;

export function loadSuite(file: string): EvalSuite {
  const parsed = suiteSchema.safeParse(parseYaml(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new OsirisError('CONFIG_INVALID', `${file} is not a valid eval suite:\n${z.prettifyError(parsed.error)}`, { hint: 'See evals/demo-suite.yaml for the format.' });
  }
  const ids = parsed.data.tasks.map((t) => t.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new OsirisError('CONFIG_INVALID', `${file}: task id "${duplicate}" appears twice`, { hint: 'Give every task its own id.' });
  return parsed.data;
}
