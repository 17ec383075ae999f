import pc from 'picocolors';
import { createProvider } from '../../agent/providers/index.js';
import { loadProjectConfig } from '../../config/project-config.js';
import { formatDuration, EXIT } from '../output.js';

/** `osiris llm test`: one small request to the configured provider; prints what it answered. Errors name the setting to fix. */
export async function llmTestCommand(): Promise<number> {
  const config = loadProjectConfig();
  const provider = createProvider(config.llm);
  const started = performance.now();
  const response = await provider.complete(
    { system: 'You are a connectivity check. Answer in one short sentence.', messages: [{ role: 'user', content: 'Say hello and name the model you are.' }], tools: [] },
    { signal: AbortSignal.timeout(60_000) },
  );
  const where = config.llm.base_url ?? (config.llm.provider === 'openai' ? process.env.OPENAI_BASE_URL : process.env.ANTHROPIC_BASE_URL) ?? 'default endpoint';
  process.stdout.write(`${pc.green('✓')} ${config.llm.provider} ${pc.dim(`(${where})`)} answered with ${response.model} in ${formatDuration(performance.now() - started)}\n`);
  if (response.usage) process.stdout.write(pc.dim(`tokens: ${response.usage.inputTokens} in, ${response.usage.outputTokens} out\n`));
  process.stdout.write(`${response.text ?? pc.dim('(no text)')}\n`);
  return EXIT.ok;
}
