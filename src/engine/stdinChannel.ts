/**
 * The CLI's stdin for a program in the embedded engine's worker. The worker asks for bytes and
 * waits on shared memory, with a timeout, instead of blocking in read(0): a thread blocked in a
 * system call can be neither interrupted (a stop, the budget) nor terminated, and Node waits for
 * it before the process can exit. The host reads process.stdin only when the program asks, a
 * chunk at a time, as CPython's buffered stdin does.
 */
import { Buffer } from "node:buffer";
import type { Readable } from "node:stream";

const STATE = 0; // Int32 slot: what the channel holds
const LENGTH = 1; // Int32 slot: bytes delivered (0 at the end of input)
const HEADER_BYTES = 8;
/** At most this many bytes cross per request; the host keeps the rest of a larger chunk for the next. */
export const STDIN_CHUNK_BYTES = 64 * 1024;

const IDLE = 0;
const WANTED = 1;
const DELIVERED = 2;

export function createStdinChannel(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + STDIN_CHUNK_BYTES);
}

/**
 * Host side: answers the worker's requests (call `wanted()` on each) from `input`, and `close()`
 * when the run is over so that the stream no longer holds the process open.
 */
export class StdinFeeder {
  private readonly slots: Int32Array;
  private readonly bytes: Uint8Array;
  private input: Readable | undefined;
  private pending: Buffer | undefined;
  private ended = false;
  private waiting = false;
  private closed = false;

  constructor(
    channel: SharedArrayBuffer,
    /** Called on the first request only: a program that never reads leaves process.stdin untouched. */
    private readonly openInput: () => Readable,
  ) {
    this.slots = new Int32Array(channel, 0, 2);
    this.bytes = new Uint8Array(channel, HEADER_BYTES);
  }

  wanted(): void {
    if (this.closed || this.waiting || Atomics.load(this.slots, STATE) !== WANTED) return;
    this.pump();
  }

  close(): void {
    this.closed = true;
    if (!this.input) return;
    this.input.removeListener("readable", this.onReadable);
    this.input.removeListener("end", this.onEnd);
    this.input.pause();
    // A paused socket (a pipe, a terminal) still holds the process open: let it exit.
    (this.input as Readable & { unref?: () => void }).unref?.();
  }

  private readonly onReadable = (): void => {
    this.waiting = false;
    this.input?.removeListener("end", this.onEnd);
    this.pump();
  };

  private readonly onEnd = (): void => {
    this.waiting = false;
    this.input?.removeListener("readable", this.onReadable);
    this.ended = true;
    this.pump();
  };

  private pump(): void {
    if (this.closed) return;
    const input = (this.input ??= this.openInput());
    if (!this.pending && !this.ended && input.readableEnded) this.ended = true;
    if (!this.pending && !this.ended) {
      const chunk: Buffer | string | null = input.read();
      if (chunk === null) {
        // Nothing buffered yet: wait for the user (or the pipe) to send some, or for the end.
        this.waiting = true;
        (input as Readable & { ref?: () => void }).ref?.();
        input.once("readable", this.onReadable);
        input.once("end", this.onEnd);
        return;
      }
      this.pending = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    }
    const piece = this.pending ? this.pending.subarray(0, STDIN_CHUNK_BYTES) : Buffer.alloc(0);
    this.pending = this.pending && piece.length < this.pending.length ? this.pending.subarray(piece.length) : undefined;
    this.bytes.set(piece);
    Atomics.store(this.slots, LENGTH, piece.length);
    Atomics.store(this.slots, STATE, DELIVERED);
    Atomics.notify(this.slots, STATE);
  }
}

/**
 * Worker side: `read(buffer)` as Pyodide's setStdin wants it. `interrupted()` says whether the host
 * has asked the program to stop; the read then fails with EINTR, as read(2) does when a signal
 * arrives, so that Python runs its handler at once (once: a second try while the same stop is still
 * pending fails with EIO instead, so a read can never spin).
 */
export class StdinReader {
  private readonly slots: Int32Array;
  private readonly bytes: Uint8Array;
  private leftover = new Uint8Array(0);
  private interruptedOnce = false;

  constructor(
    channel: SharedArrayBuffer,
    private readonly askHost: () => void,
    private readonly interrupted: () => boolean,
  ) {
    this.slots = new Int32Array(channel, 0, 2);
    this.bytes = new Uint8Array(channel, HEADER_BYTES);
  }

  read(buffer: Uint8Array): number {
    if (this.leftover.length === 0) {
      // After an interrupted read the request is still out (WANTED), or already answered (DELIVERED).
      if (Atomics.compareExchange(this.slots, STATE, IDLE, WANTED) !== DELIVERED) this.askHost();
      while (Atomics.load(this.slots, STATE) !== DELIVERED) {
        Atomics.wait(this.slots, STATE, WANTED, 50);
        if (Atomics.load(this.slots, STATE) !== DELIVERED && this.interrupted()) {
          // Left WANTED: a delivery that comes later is read by the next call.
          const code = this.interruptedOnce ? "EIO" : "EINTR";
          this.interruptedOnce = true;
          throw Object.assign(new Error(`stdin read interrupted (${code})`), { code });
        }
      }
      this.interruptedOnce = false;
      const length = Atomics.load(this.slots, LENGTH);
      this.leftover = this.bytes.slice(0, length);
      Atomics.store(this.slots, STATE, IDLE);
      if (length === 0) return 0; // end of input
    }
    const n = Math.min(buffer.length, this.leftover.length);
    buffer.set(this.leftover.subarray(0, n));
    this.leftover = this.leftover.subarray(n);
    return n;
  }
}
