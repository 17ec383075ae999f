import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { OsirisError } from '../errors.js';

/** osiris.yaml: everything optional, so a bare directory works with the embedded defaults. */
const configSchema = z.strictObject({
  version: z.literal(1).default(1),
  llm: z
    .strictObject({
      provider: z.enum(['offline', 'openai', 'anthropic', 'gemini']).default('offline'),
      model: z.string().min(1).optional(),
      /** Tried in order when the model does not exist or stays unavailable. */
      fallback_models: z.array(z.string().min(1)).default([]),
      /** An OpenAI-compatible server (Ollama, vLLM, llama.cpp) or a proxy; OPENAI_BASE_URL / ANTHROPIC_BASE_URL otherwise. */
      base_url: z.url().optional(),
      /** Sent only when set: some models (reasoning models) refuse any temperature. */
      temperature: z.number().min(0).max(2).optional(),
      /** A directory of customised prompts (`osiris prompts dump DIR` writes the defaults); relative to the project. */
      prompts_dir: z.string().min(1).optional(),
      /** Estimated tokens (characters / 4) the system prompt may take; the schema is summarised to fit. */
      prompt_token_budget: z.number().int().min(1000).default(6000),
    })
    .prefault({}),
  agent: z
    .strictObject({
      /** Connection the agent discovers when a message names none. */
      connection: z.string().regex(/^@[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+$/, 'a connection reference like @sqlite.demo').default('@sqlite.demo'),
      /** Rows of data a tool result may carry into the workflow history and the model's context. */
      sample_size: z.number().int().min(1).max(100).default(10),
      /** LLM calls per user message before the agent must answer. */
      max_steps_per_turn: z.number().int().min(1).max(50).default(12),
    })
    .prefault({}),
  execution: z
    .strictObject({
      target: z.enum(['local', 'e2b']).default('local'),
      output_dir: z.string().min(1).default('output'),
    })
    .prefault({}),
  /** The e2b execution target (the exec-e2b worker). */
  e2b: z
    .strictObject({
      /** e2b: sandboxes in E2B's cloud (needs E2B_API_KEY); process: a local child process with a scrubbed environment. */
      backend: z.enum(['e2b', 'process']).default('e2b'),
      /** Template built from e2b/ with `e2b template build`. */
      template: z.string().min(1).default('osiris-runtime'),
      /** The longest one step may run; the sandbox is kept alive this long after each step starts. */
      timeout_ms: z.number().int().min(10_000).max(86_400_000).default(3_600_000),
      /** Minimum CPUs and memory: the template must provide them (they are fixed when it is built). */
      cpu: z.number().int().min(1).max(64).default(2),
      memory_mb: z.number().int().min(256).default(2048),
    })
    .prefault({}),
  temporal: z
    .strictObject({
      /** host:port of an existing server; absent means the embedded dev server. */
      address: z.string().min(1).optional(),
      namespace: z.string().min(1).default('default'),
      port: z.number().int().min(1).max(65535).default(7233),
      ui_port: z.number().int().min(1).max(65535).default(8233),
    })
    .prefault({}),
});

export type OsirisConfig = z.infer<typeof configSchema>;

export interface ProjectConfig extends OsirisConfig {
  /** Directory holding osiris.yaml (or the working directory when there is none). */
  projectDir: string;
  /** `.osiris/` under projectDir: Temporal state, demo database, run workspaces. */
  stateDir: string;
  /** Absolute output directory. */
  outputDir: string;
  /** The server address to use: TEMPORAL_ADDRESS, osiris.yaml, or the embedded server's. */
  temporalAddress: string;
  /** True when no address was configured and the CLI should start/reuse its own dev server. */
  embedded: boolean;
}

/** Loads osiris.yaml and .env from `projectDir`. Environment variables win over the file. */
export function loadProjectConfig(projectDir: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): ProjectConfig {
  const dir = path.resolve(projectDir);
  const envFile = path.join(dir, '.env');
  if (existsSync(envFile)) loadDotenv({ path: envFile, quiet: true, processEnv: env as Record<string, string> });

  const file = path.join(dir, 'osiris.yaml');
  let raw: unknown = {};
  if (existsSync(file)) {
    try {
      raw = parseYaml(readFileSync(file, 'utf8')) ?? {};
    } catch (err) {
      throw new OsirisError('CONFIG_INVALID', `osiris.yaml is not valid YAML: ${(err as Error).message}`, {
        hint: 'Fix the YAML syntax at the line shown.',
      });
    }
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new OsirisError('CONFIG_INVALID', `osiris.yaml is invalid: ${problems}`, {
      hint: 'See the "Configuration" section of the README for the accepted keys.',
    });
  }
  const cfg = parsed.data;
  const envAddress = env.TEMPORAL_ADDRESS?.trim();
  const configured = envAddress || cfg.temporal.address;
  const namespace = env.TEMPORAL_NAMESPACE?.trim() || cfg.temporal.namespace;
  return {
    ...cfg,
    temporal: { ...cfg.temporal, namespace },
    projectDir: dir,
    stateDir: path.join(dir, '.osiris'),
    outputDir: path.resolve(dir, cfg.execution.output_dir),
    temporalAddress: configured || `127.0.0.1:${cfg.temporal.port}`,
    embedded: !configured,
  };
}
