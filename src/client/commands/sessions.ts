import pc from 'picocolors';
import { loadProjectConfig } from '../../config/project-config.js';
import { sessionIdOf } from '../../workflows/ids.js';
import { EXIT } from '../output.js';
import { withTemporal } from '../with-temporal.js';

/** `osiris sessions`: read from visibility only, so no worker is needed and none of the chat client is loaded. */
export async function sessionsCommand(): Promise<number> {
  const config = loadProjectConfig();
  return withTemporal(config, async (session) => {
    let count = 0;
    for await (const wf of session.client.workflow.list({ query: "WorkflowType = 'conversation'" })) {
      const status = wf.typedSearchAttributes.getAll().find((p) => p.key.name === 'OsirisStatus')?.value ?? '';
      const id = sessionIdOf(wf.workflowId) ?? wf.workflowId;
      process.stdout.write(`${id.padEnd(20)} ${String(status).padEnd(18)} ${wf.status.name.toLowerCase().padEnd(16)} ${pc.dim(wf.startTime.toISOString())}\n`);
      count++;
    }
    if (count === 0) process.stdout.write(pc.dim('No sessions yet. Start one with: osiris chat "find director Ava DuVernay"') + '\n');
    return EXIT.ok;
  });
}
