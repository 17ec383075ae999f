import { existsSync } from 'node:fs';
import path from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import { connectionRefSchema } from '../connections/ref.js';
import { loadYamlFile } from './yaml-file.js';
import { resolveTemporalTarget, temporalConfigSchema, type TemporalTarget } from '../temporal/connection-options.js';

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
      connection: connectionRefSchema.default('@sqlite.demo'),
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
      /** Where filesystem extractors may read; relative to the project (default: the project directory). */
      input_dir: z.string().min(1).optional(),
      /** How long a step may wait for the exec worker holding its workspace before the run moves to another host (default 30). */
      host_timeout_seconds: z.number().int().min(5).max(86_400).optional(),
      /** Attempts of a run, each on a fresh workspace, when hosts are lost (default 3; 1 turns failover off). */
      max_host_attempts: z.number().int().min(1).max(10).optional(),
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
  temporal: temporalConfigSchema,
});

export type OsirisConfig = z.infer<typeof configSchema>;

export interface ProjectConfig extends OsirisConfig {
  /** Directory holding osiris.yaml (or the working directory when there is none). */
  projectDir: string;
  /** `.osiris/` under projectDir: Temporal state, demo database, run workspaces. */
  stateDir: string;
  /** Absolute output directory. */
  outputDir: string;
  /** Absolute directory input files must stay inside (execution.input_dir); absent means the project directory. */
  inputDir?: string;
  /** The server address to use: TEMPORAL_ADDRESS, osiris.yaml, or the embedded server's. */
  temporalAddress: string;
  /** True when no address was configured and the CLI should start/reuse its own dev server. */
  embedded: boolean;
  /** Address, namespace, TLS and API key from temporal.toml, osiris.yaml and TEMPORAL_* (secrets masked). */
  temporalTarget: TemporalTarget;
}

/**
 * Loads osiris.yaml and .env from `projectDir`. Environment variables win over the file.
 * `dotenv: false` leaves .env unread: it may hold connection secrets a pure client must never see.
 */
export function loadProjectConfig(projectDir: string = process.cwd(), env: NodeJS.ProcessEnv = process.env, options: { dotenv?: boolean } = {}): ProjectConfig {
  const dir = path.resolve(projectDir);
  const envFile = path.join(dir, '.env');
  if (options.dotenv !== false && existsSync(envFile)) loadDotenv({ path: envFile, quiet: true, processEnv: env as Record<string, string> });

  const cfg = loadYamlFile(path.join(dir, 'osiris.yaml'), configSchema, 'See the "Configuration" section of the README for the accepted keys.') ?? configSchema.parse({});
  const temporalTarget = resolveTemporalTarget(cfg.temporal, env, dir);
  const configured = temporalTarget.address;
  const namespace = temporalTarget.namespace;
  return {
    ...cfg,
    temporal: { ...cfg.temporal, namespace },
    projectDir: dir,
    stateDir: path.join(dir, '.osiris'),
    outputDir: path.resolve(dir, cfg.execution.output_dir),
    inputDir: path.resolve(dir, cfg.execution.input_dir ?? '.'),
    temporalAddress: configured || `127.0.0.1:${cfg.temporal.port}`,
    embedded: !configured,
    temporalTarget,
  };
}
