/**
 * Writes canonical events as JSON lines (one object a line, every column in every line) to a
 * stream, in bounded memory: lines are gathered while a chunk of a log file is parsed and written
 * after it, and the next chunk waits while the stream's buffer is full. A slow consumer (a pipe
 * into DuckDB, a disk) slows the reader down instead of filling the heap.
 */
import { once } from "events";
import { Writable } from "stream";
import { CanonicalEvent } from "./canonicalEvent";

export class JsonlWriter {
  private batch = "";
  /** Lines written so far. */
  lines = 0;

  constructor(private readonly stream: Writable) {}

  add(event: CanonicalEvent): void {
    this.batch += JSON.stringify(event) + "\n";
    this.lines++;
  }

  /** Hands the gathered lines to the stream; resolves once the stream can take more. */
  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const text = this.batch;
    this.batch = "";
    if (!this.stream.write(text)) await once(this.stream, "drain");
  }

  /**
   * Flushes, then ends the stream and waits until it is written (a file the command opened), or
   * leaves it open (stdout, which the process owns).
   */
  async end(close: boolean): Promise<void> {
    await this.flush();
    if (!close) return;
    const finished = once(this.stream, "finish");
    this.stream.end();
    await finished;
  }
}
