import { families } from '../connectors/families.js';

/**
 * Imports the drivers of these components now, in the background, so that their first step does not
 * wait for them (`osiris run` starts this while its run's first task is on its way). A failure is
 * ignored here: the step imports again and reports it.
 */
export function preloadDrivers(components: Iterable<string>): void {
  const wanted = new Set(components);
  for (const family of families) {
    if (family.components.some((spec) => wanted.has(spec.name))) void family.load().catch(() => {});
  }
}
