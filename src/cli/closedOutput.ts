/**
 * `asyncio-trace run prog.py | head -3`: the reader of our stdout (or stderr, with `2>&1`) may go
 * away long before the program is done. Node reports that as an EPIPE "error" event on the
 * stream, which would otherwise crash the CLI with a stack trace.
 */

/** What a shell shows for a process ended by SIGPIPE (128 + 13), as for `yes | head -1`. */
export const EXIT_OUTPUT_CLOSED = 141;

let closed = false;
const whenClosed = new Set<() => void>();

/** Installed once, at start-up: an EPIPE on stdout or stderr marks the output closed instead of crashing. */
export function watchForClosedOutput(): void {
  const onError = (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
    if (closed) return;
    closed = true;
    // The command may already have returned its status (trace prints its timeline last).
    process.exitCode = EXIT_OUTPUT_CLOSED;
    for (const listener of whenClosed) listener();
  };
  process.stdout.on("error", onError);
  process.stderr.on("error", onError);
}

export function outputClosed(): boolean {
  return closed;
}

/** Calls `listener` once the output's reader has gone (at once if it already has); returns an unsubscribe. */
export function onOutputClosed(listener: () => void): () => void {
  if (closed) {
    listener();
    return () => undefined;
  }
  whenClosed.add(listener);
  return () => whenClosed.delete(listener);
}
