import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

let installed = false;

/**
 * Sets the worker SDK's log level once per process. State changes at INFO (and failed-run stacks
 * at WARN) would drown the CLI's own progress output; a standalone worker keeps WARN.
 */
export function installRuntimeLogging(level: LogLevel, prometheusBindAddress?: string): void {
  if (installed) return;
  installed = true;
  // The SDK's own metrics (task latencies, slots, polls) on /metrics for Prometheus: `osiris worker --metrics`.
  const telemetryOptions = prometheusBindAddress ? { metrics: { prometheus: { bindAddress: prometheusBindAddress } } } : undefined;
  Runtime.install({ logger: new DefaultLogger(level), telemetryOptions });
}
