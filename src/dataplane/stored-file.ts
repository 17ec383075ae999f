import { readFile, stat, writeFile } from 'node:fs/promises';
import { z } from 'zod';

/**
 * A step output stored as its writer's file (`ManifestStep.stored_as`) comes with a description beside
 * it (`<file>.json`): its rows and codec, so the writer can take the file without opening it.
 */
const storedFileInfo = z.object({ rows: z.number().int().nonnegative(), compression: z.string() });
export type StoredFileInfo = z.infer<typeof storedFileInfo>;

/** Written before the file is renamed into place, so a file that is there is always described. */
export async function describeStoredFile(file: string, info: StoredFileInfo): Promise<void> {
  await writeFile(`${file}.json`, JSON.stringify(info));
}

/** The stored file's description, or undefined when there is no stored file (the step wrote its table). */
export async function readStoredFile(file: string): Promise<StoredFileInfo | undefined> {
  const present = await stat(file).then(
    () => true,
    () => false,
  );
  if (!present) return undefined;
  const parsed = storedFileInfo.safeParse(JSON.parse(await readFile(`${file}.json`, 'utf8')));
  if (!parsed.success) throw new Error(`${file}.json does not describe a stored step output: ${parsed.error.message}`);
  return parsed.data;
}
