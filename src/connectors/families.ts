/**
 * Every connector family this build has, listed once. Importing this loads no driver: specs and
 * connection schemas are pure, drivers load on a family's first step or discovery. Never import it
 * from workflow code (the lazy imports would pull drivers into the workflow bundle).
 */
import type { ResolvedConnection } from '../connections/types.js';
import type { StepImplementation } from '../dataplane/step-contract.js';
import { OsirisError } from '../errors.js';
import type { DiscoveryClient } from './discovery.js';
import { duckdbFamily } from './duckdb/index.js';
import type { ConnectorFamily, FamilyDrivers } from './family.js';
import { filesystemFamily } from './filesystem/index.js';
import { mysqlFamily } from './mysql/index.js';
import { postgresFamily } from './postgres/index.js';
import type { ComponentSpec } from './spec.js';
import { sqliteFamily } from './sqlite/index.js';
import { supabaseFamily } from './supabase/index.js';

export const families: readonly ConnectorFamily[] = [sqliteFamily, mysqlFamily, postgresFamily, supabaseFamily, duckdbFamily, filesystemFamily];

const byName = new Map(families.map((f) => [f.name, f]));

export const getFamily = (name: string): ConnectorFamily | undefined => byName.get(name);

/** Every component this build knows, by name. */
export const componentSpecs: ReadonlyMap<string, ComponentSpec> = new Map(families.flatMap((f) => f.components.map((spec): [string, ComponentSpec] => [spec.name, spec])));

export const getComponentSpec = (name: string): ComponentSpec | undefined => componentSpecs.get(name);

const familyOfComponent = new Map(families.flatMap((f) => f.components.map((spec): [string, ConnectorFamily] => [spec.name, f])));

// A failed import (a missing driver) is not remembered: the retried step tries again.
const loaded = new Map<string, Promise<FamilyDrivers>>();
function driversOf(family: ConnectorFamily): Promise<FamilyDrivers> {
  let drivers = loaded.get(family.name);
  if (!drivers) {
    drivers = family.load().catch((err: unknown) => {
      loaded.delete(family.name);
      throw err;
    });
    loaded.set(family.name, drivers);
  }
  return drivers;
}

/** Component name -> implementation; the family's drivers load when one of its steps first runs. */
export function getImplementation(component: string): StepImplementation | undefined {
  const family = familyOfComponent.get(component);
  if (!family) return undefined;
  return async (step, ctx, options) => {
    const implementation = (await driversOf(family)).steps[component];
    if (!implementation) throw new Error(`Family "${family.name}" has no driver for ${component}`);
    return implementation(step, ctx, options);
  };
}

/** Families whose connections can be discovered (listed, described, searched). */
export const discoveryFamilies = (): string[] => families.filter((f) => f.connections).map((f) => f.name);

export async function openDiscovery(connection: ResolvedConnection): Promise<DiscoveryClient> {
  const family = getFamily(connection.family);
  const open = family?.connections && (await driversOf(family)).openDiscovery;
  if (!open) {
    throw new OsirisError('CONFIG_INVALID', `No connector for the "${connection.family}" family in this build`, {
      hint: `Connectors available: ${discoveryFamilies().join(', ')}. Remove the connection or use a supported family.`,
    });
  }
  return open(connection);
}
