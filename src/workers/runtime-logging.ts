import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogLevel } from '@temporalio/worker';

let installed = false;

/**
 * Sets the worker SDK's log level once per process. State changes at INFO (and failed-run stacks
 * at WARN) would drown the CLI's own progress output; a standalone worker keeps WARN.
 */
export function installRuntimeLogging(level: LogLevel, prometheusBindAddress?: string): void {
  if (installed) return;
  installed = true;
  // No SDK signal handlers: on Ctrl-C the CLI cancels its run and needs its own worker to run the
  // cleanup; `osiris worker` shuts its workers down itself.
  // Core (Rust) logs are forwarded to the same logger: printed plain, not with the core's ANSI codes.
  // With `osiris worker --metrics`, the SDK's own metrics (task latencies, slots, polls) on /metrics for Prometheus.
  Runtime.install({
    logger: new DefaultLogger(level),
    shutdownSignals: [],
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: level === 'INFO' ? 'INFO' : 'WARN' }), forward: {} },
      ...(prometheusBindAddress ? { metrics: { prometheus: { bindAddress: prometheusBindAddress } } } : {}),
    },
  });
}
