/** Prompt files: the shipped defaults, overridden file by file from `llm.prompts_dir`. */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OsirisError } from '../../errors.js';
import { DEFAULT_PROMPTS, PLACEHOLDERS, PROMPT_FILES, type PromptFile } from './defaults.js';

export type Prompts = Record<PromptFile, string>;

/**
 * The defaults, with each file present in `dir` used instead. A placeholder the builder does not know
 * is refused up front, naming the file: it would otherwise reach the model as literal braces.
 */
export function loadPrompts(dir: string | undefined): Prompts {
  if (dir === undefined) return DEFAULT_PROMPTS;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new OsirisError('CONFIG_INVALID', `llm.prompts_dir ${dir} is not a directory`, { hint: 'Create it with `osiris prompts dump DIR`, or remove llm.prompts_dir.' });
  }
  const prompts = { ...DEFAULT_PROMPTS };
  for (const name of PROMPT_FILES) {
    const file = path.join(dir, name);
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const unknown = [...text.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].map((m) => m[1]!).filter((p) => !Object.hasOwn(PLACEHOLDERS, p));
    if (unknown.length > 0) {
      throw new OsirisError('CONFIG_INVALID', `${file}: unknown placeholder ${unknown.map((p) => `{{${p}}}`).join(', ')}`, {
        hint: `Placeholders: ${Object.keys(PLACEHOLDERS).map((p) => `{{${p}}}`).join(', ')}.`,
      });
    }
    prompts[name] = text;
  }
  return prompts;
}

/** Writes the default prompts into `dir` (created if needed); returns the files written. */
export function dumpPrompts(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return PROMPT_FILES.map((name) => {
    const file = path.join(dir, name);
    writeFileSync(file, DEFAULT_PROMPTS[name]);
    return file;
  });
}

/** `{{name}}` -> value; every placeholder has a value (loadPrompts refused unknown ones). */
export function fillPlaceholders(template: string, values: Record<keyof typeof PLACEHOLDERS, string>): string {
  return template.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? values[name as keyof typeof PLACEHOLDERS] : whole));
}
