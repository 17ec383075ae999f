import path from 'node:path';
import { PLACEHOLDERS } from '../../agent/prompts/defaults.js';
import { dumpPrompts } from '../../agent/prompts/load.js';
import { EXIT } from '../output.js';

/** `osiris prompts dump DIR`: the default prompts as files, to edit and point `llm.prompts_dir` at. */
export function promptsDumpCommand(dir: string): number {
  for (const file of dumpPrompts(path.resolve(dir))) process.stdout.write(`wrote ${path.relative(process.cwd(), file) || file}\n`);
  process.stdout.write(`\nSet llm.prompts_dir: ${dir} in osiris.yaml to use them. Placeholders:\n`);
  for (const [name, meaning] of Object.entries(PLACEHOLDERS)) process.stdout.write(`  {{${name}}}  ${meaning}\n`);
  return EXIT.ok;
}
