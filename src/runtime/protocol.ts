import type { Socket } from "node:net";

/**
 * The wire between the gateway process and an execution environment: length-prefixed frames
 * (4-byte big-endian byte length, then UTF-8 JSON) over a dedicated pipe (fd 3 of the child).
 * The event is serialized once by the gateway and spliced into the envelope as text; the
 * handler's result is serialized once by the environment (with JSON.stringify, exactly as the
 * Lambda runtime does) and spliced the same way, so each direction costs one stringify and one
 * parse.
 */

/** File descriptor of the frame pipe in the child. */
export const CHANNEL_FD = 3;

/** Gateway → environment: run one invocation. `event` is spliced in as JSON text. */
export interface InvokeMessage {
  t: "invoke";
  id: string;
  /** Epoch ms at which the function times out (for `context.getRemainingTimeInMillis`). */
  deadline: number;
  event: unknown;
}

/** Environment → gateway. */
export type WorkerMessage =
  | { t: "ready" }
  | { t: "init-error"; errorType: string; errorMessage: string }
  | { t: "result"; id: string; maxRssBytes: number; logs: string; result: unknown }
  | {
      t: "error";
      id: string;
      maxRssBytes: number;
      logs: string;
      errorType: string;
      errorMessage: string;
      trace: string[];
    };

/** Envelope of an invoke whose event is already JSON text. */
export function invokeFrameText(id: string, deadline: number, eventJson: string): string {
  return `{"t":"invoke","id":${JSON.stringify(id)},"deadline":${deadline},"event":${eventJson}}`;
}

/** Envelope of a result whose value is already JSON text; `logs` is the function's held stdout. */
export function resultFrameText(id: string, maxRssBytes: number, logs: string, resultJson: string): string {
  return `{"t":"result","id":${JSON.stringify(id)},"maxRssBytes":${maxRssBytes},"logs":${JSON.stringify(logs)},"result":${resultJson}}`;
}

/** Write one frame: a single buffer, length prefix and body, encoded once. */
export function writeFrame(socket: Socket, text: string): boolean {
  const length = Buffer.byteLength(text);
  const frame = Buffer.allocUnsafe(4 + length);
  frame.writeUInt32BE(length, 0);
  frame.write(text, 4, "utf8");
  return socket.write(frame);
}

/** Reassembles frames from a byte stream; calls `onFrame(text, byteLength)` for each. */
export class FrameReader {
  #chunks: Buffer[] = [];
  #buffered = 0;
  readonly #onFrame: (text: string, byteLength: number) => void;

  constructor(onFrame: (text: string, byteLength: number) => void) {
    this.#onFrame = onFrame;
  }

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    while (this.#buffered >= 4) {
      // Flatten only once a whole frame is here: large frames arrive in many chunks.
      if (this.#chunks[0]!.length < 4) this.#flatten();
      const length = this.#chunks[0]!.readUInt32BE(0);
      if (this.#buffered < 4 + length) return;
      const head = this.#chunks.length === 1 ? this.#chunks[0]! : this.#flatten();
      const text = head.toString("utf8", 4, 4 + length);
      const rest = head.subarray(4 + length);
      this.#chunks = rest.length > 0 ? [rest] : [];
      this.#buffered = rest.length;
      this.#onFrame(text, length);
    }
  }

  #flatten(): Buffer {
    const all = Buffer.concat(this.#chunks, this.#buffered);
    this.#chunks = [all];
    return all;
  }
}
