import { access, mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { OsirisError } from '../errors.js';

/**
 * Resolves a writer's relative `target` inside `outputDir`, creating its parent directories.
 * Refused: absolute paths, `..` escapes, and symlinked directories that lead outside `outputDir`.
 */
export async function resolveOutputPath(outputDir: string, target: string, stepId: string): Promise<string> {
  const refuse = (why: string): never => {
    throw new OsirisError('PATH_REFUSED', `Step "${stepId}": output path "${target}" ${why}`, {
      hint: `Use a relative path that stays inside the output directory (${outputDir}), e.g. "output/result.csv".`,
    });
  };
  if (path.isAbsolute(target) || target.includes('\0')) refuse('must be relative to the output directory');
  const root = path.resolve(outputDir);
  const resolved = path.resolve(root, target);
  if (!isInside(root, resolved) || resolved === root) refuse('leaves the output directory');
  await mkdir(root, { recursive: true });
  const realRoot = await realpath(root);
  const parent = path.dirname(resolved);
  // Check the deepest existing ancestor before creating anything, so mkdir cannot follow a symlink out.
  const staysInside = async (dir: string) => {
    const real = await realpath(dir);
    return real === realRoot || isInside(realRoot, real);
  };
  if (!(await staysInside(await deepestExisting(parent)))) refuse('leads outside the output directory through a symbolic link');
  await mkdir(parent, { recursive: true });
  if (!(await staysInside(parent))) refuse('leads outside the output directory through a symbolic link');
  return path.join(await realpath(parent), path.basename(resolved));
}

async function deepestExisting(dir: string): Promise<string> {
  try {
    await access(dir);
    return dir;
  } catch {
    return deepestExisting(path.dirname(dir));
  }
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}
