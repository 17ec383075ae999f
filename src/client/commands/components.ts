import pc from 'picocolors';
import { z } from 'zod';
import { componentSpecs, getComponentSpec, getFamily } from '../../connectors/families.js';
import { connectionKeysOf } from '../../connectors/family.js';
import { OsirisError } from '../../errors.js';
import { EXIT } from '../output.js';

export function componentsListCommand(): number {
  const width = Math.max(...[...componentSpecs.keys()].map((n) => n.length));
  for (const spec of componentSpecs.values()) {
    process.stdout.write(`${spec.name.padEnd(width)}  ${pc.dim(spec.modes.join(',').padEnd(9))}  ${spec.description}\n`);
  }
  return EXIT.ok;
}

export async function componentsShowCommand(name: string, opts: { json?: boolean }): Promise<number> {
  const spec = getComponentSpec(name);
  if (!spec) {
    throw new OsirisError('CONFIG_INVALID', `Unknown component "${name}"`, { hint: `Known components: ${[...componentSpecs.keys()].join(', ')}` });
  }
  const schema = z.toJSONSchema(spec.config, { io: 'input' });
  const family = spec.family === undefined ? undefined : getFamily(spec.family);
  const connectionKeys = family ? connectionKeysOf(family) : [];
  if (opts.json) {
    process.stdout.write(JSON.stringify({ name: spec.name, version: spec.version, modes: spec.modes, description: spec.description, config: schema, connection_keys: connectionKeys, example: spec.example }, null, 2) + '\n');
    return EXIT.ok;
  }
  process.stdout.write(`${pc.bold(spec.name)} ${pc.dim(`v${spec.version}`)}\n${spec.description}\nmodes: ${spec.modes.join(', ')}\n\nconfig:\n`);
  const properties = (schema.properties ?? {}) as Record<string, { type?: string; enum?: unknown[]; description?: string; default?: unknown }>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  for (const [key, prop] of Object.entries(properties)) {
    const type = prop.enum ? prop.enum.join(' | ') : (prop.type ?? 'value');
    const flags = [required.has(key) ? 'required' : 'optional', prop.default !== undefined ? `default ${JSON.stringify(prop.default)}` : ''].filter(Boolean).join(', ');
    process.stdout.write(`  ${key.padEnd(18)} ${type.padEnd(22)} ${pc.dim(flags)}${prop.description ? `  ${prop.description}` : ''}\n`);
  }
  if (connectionKeys.length > 0) {
    process.stdout.write(`\n@${spec.family}.<alias> in osiris_connections.yaml:\n`);
    for (const k of connectionKeys) {
      const flags = [k.required ? 'required' : 'optional', k.secret ? 'secret: use ${ENV_VAR}' : ''].filter(Boolean).join(', ');
      process.stdout.write(`  ${k.key.padEnd(18)} ${pc.dim(flags)}  ${k.description}\n`);
    }
  }
  // The YAML library (~70 modules) is loaded only here: `components list` never needs it.
  const { stringify } = await import('yaml');
  process.stdout.write(`\nexample:\n${stringify({ component: spec.name, mode: spec.modes[0], config: spec.example }).replace(/^/gm, '  ')}`);
  return EXIT.ok;
}
