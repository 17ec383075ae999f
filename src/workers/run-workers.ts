import type { Worker } from '@temporalio/worker';

/**
 * Runs workers until `signal` aborts or one of them fails; then shuts all of them down and waits,
 * so in-flight activities finish or are cancelled cleanly.
 */
export async function runWorkers(workers: Worker[], signal: AbortSignal): Promise<void> {
  const stop = () => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
  };
  signal.addEventListener('abort', stop, { once: true });
  try {
    await Promise.all(
      workers.map((w) =>
        w.run().catch((err: unknown) => {
          stop();
          throw err;
        }),
      ),
    );
  } finally {
    signal.removeEventListener('abort', stop);
  }
}
