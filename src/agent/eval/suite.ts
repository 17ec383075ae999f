/** An eval suite: natural-language tasks, each with the SQL whose result the pipeline must reproduce. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { OsirisError } from '../../errors.js';

const taskSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, - and _'),
    /** A one-message task. */
    prompt: z.string().min(1).optional(),
    /** A multi-turn task: sent in order in one conversation; the last message's pipeline is checked. */
    messages: z.array(z.string().min(1)).min(1).optional(),
    /** Run read-only on the suite's connection; its rows are the expected output (order ignored). */
    reference_sql: z.string().min(1),
    difficulty: z.enum(['easy', 'medium', 'hard']).default('medium'),
  })
  .refine((t) => (t.prompt === undefined) !== (t.messages === undefined), { message: 'give exactly one of prompt (one message) or messages (a conversation)' });

const suiteSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().min(1),
  connection: z.string().default('@sqlite.demo'),
  /**
   * A SQLite file (relative to the suite) the suite's connection resolves to when the project does not
   * define that connection: the suite ships its own database.
   */
  sqlite: z.string().min(1).optional(),
  tasks: z.array(taskSchema).min(1),
});

export type EvalTask = z.infer<typeof taskSchema>;
export type EvalSuite = z.infer<typeof suiteSchema> & { /** Absolute path of `sqlite`, when given. */ sqliteFile?: string };

/** The user messages of a task, in order. */
export function taskMessages(task: EvalTask): string[] {
  return task.messages ?? [task.prompt ?? ''];
}

export function loadSuite(file: string): EvalSuite {
  const parsed = suiteSchema.safeParse(parseYaml(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new OsirisError('CONFIG_INVALID', `${file} is not a valid eval suite:\n${z.prettifyError(parsed.error)}`, { hint: 'See evals/demo-suite.yaml for the format.' });
  }
  const ids = parsed.data.tasks.map((t) => t.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new OsirisError('CONFIG_INVALID', `${file}: task id "${duplicate}" appears twice`, { hint: 'Give every task its own id.' });
  return { ...parsed.data, sqliteFile: parsed.data.sqlite === undefined ? undefined : path.resolve(path.dirname(file), parsed.data.sqlite) };
}
