import { execFile } from 'node:child_process';
import { constants, open } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

/**
 * A named pipe (FIFO) that JavaScript writes while a native reader (DuckDB's `read_csv`) reads it as a
 * file: one statement can then consume a stream that is still arriving. Node has no mkfifo of its own.
 */

/** Creates a FIFO at `file`; false where the system has none (Windows, or no `mkfifo` program). */
export async function makeNamedPipe(file: string): Promise<boolean> {
  if (process.platform === 'win32') return false;
  try {
    await promisify(execFile)('mkfifo', ['-m', '600', file]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Opens the write end of the FIFO at `file` once its reader has opened the other end. Opening it
 * non-blocking fails (ENXIO) until then, so it is retried; if `reader` (the statement that opens it)
 * settles first it never will, and its error is thrown. Blocking opens are avoided on purpose: one
 * would hold a libuv thread forever if the reader failed before opening the file.
 */
export async function openPipeWriter(file: string, reader: Promise<unknown>, maxPending: number): Promise<PipeWriter> {
  let settled = false;
  const done = reader.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
    // The raw fd (not a FileHandle, which closes its fd when collected) is handed to a socket that owns it.
    const fd = await new Promise<number | undefined>((resolve, reject) =>
      open(file, constants.O_WRONLY | constants.O_NONBLOCK, (err, fd) => (err === null ? resolve(fd) : err.code === 'ENXIO' ? resolve(undefined) : reject(err))),
    );
    if (fd !== undefined) return new PipeWriter(new net.Socket({ fd, readable: false, writable: true }), maxPending);
    if (settled) {
      await reader;
      throw new Error(`The reader of ${file} finished without opening it`);
    }
    await Promise.race([sleep(wait), done]);
  }
}

/**
 * The write end. A pipe holds 64 KB, but its reader takes a whole buffer (megabytes) before it parses
 * any of it, and reads nothing while it parses: bytes are therefore queued here, up to `maxPending`,
 * so the source keeps sending while the reader works. A write waits only while that much is queued, and
 * a buffer is released once the pipe has taken it.
 */
export class PipeWriter {
  private failure: Error | undefined;
  private pending = 0;
  private wake: (() => void) | undefined;

  constructor(
    private readonly socket: net.Socket,
    private readonly maxPending: number,
  ) {
    // EPIPE when the reader stops early: kept, and thrown by the next write.
    socket.on('error', (err) => {
      this.failure ??= err;
      this.wake?.();
    });
    socket.on('close', () => this.wake?.());
  }

  async write(bytes: Uint8Array, release?: () => void): Promise<void> {
    if (this.failure) throw this.failure;
    this.pending += bytes.length;
    this.socket.write(bytes, () => {
      this.pending -= bytes.length;
      release?.();
      if (this.pending <= this.maxPending / 2) this.wake?.();
    });
    while (this.pending > this.maxPending && !this.failure && !this.socket.destroyed) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    if (this.failure) throw this.failure;
  }

  /** Flushes what was written and closes the pipe: the reader sees the end of its file. */
  async end(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.socket.destroyed) return;
    await new Promise<void>((resolve) => {
      // 'finish' never comes after a write error; 'close' always does.
      this.socket.once('close', () => resolve());
      this.socket.end();
    });
    if (this.failure) throw this.failure;
  }

  /** Closes the pipe at once, unflushed: the reader sees an early end of file. */
  destroy(): void {
    this.socket.destroy();
  }
}
