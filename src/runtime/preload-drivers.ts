import { families } from '../connectors/families.js';

/**
 * Imports the drivers of these components now, in the background, so that their first step does not
 * wait for them (`osiris run` starts this while its run's first task is on its way). A failure is
 * ignored here: the step imports again and reports it. Resolves once every import has settled.
 */
export async function preloadDrivers(components: Iterable<string>): Promise<void> {
  const wanted = new Set(components);
  const loading = families.filter((family) => family.components.some((spec) => wanted.has(spec.name))).map((family) => family.load().catch(() => {}));
  await Promise.all(loading);
}
