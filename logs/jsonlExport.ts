/**
 * Writes canonical events as JSON lines (one object a line, every column in every line) to a
 * stream, in bounded memory: lines are gathered while a chunk of a log file is parsed and written
 * after it, and the next chunk waits while the stream's buffer is full. A slow consumer (a pipe
 * into DuckDB, a disk) slows the reader down instead of filling the heap.
 */
import { once } from "events";
import { Writable } from "stream";
import { Utf8Bytes } from "./canonicalJson";

/** Room for the lines of a few chunks of a log file; a new block is taken when one is full. */
const BLOCK_BYTES = 1 << 20;

export class JsonlWriter {
  /**
   * Lines are copied into a block as they come, their bytes already UTF-8: gathering them in one
   * string and encoding that on flush cost the export a fifth of its time. What is handed to the
   * stream is never written to again: the next lines go after it, or into a new block.
   */
  private block = Buffer.allocUnsafe(BLOCK_BYTES);
  private start = 0;
  private end_ = 0;
  /** Lines written so far. */
  lines = 0;

  constructor(private readonly stream: Writable) {}

  /** One event's JSON line, without its newline (servedCanonicalLine). */
  add(line: Utf8Bytes): void {
    if (this.end_ + line.length + 1 > this.block.length) this.nextBlock(line.length + 1);
    this.end_ += this.block.write(line, this.end_, "latin1");
    this.block[this.end_++] = 10; /* \n */
    this.lines++;
  }

  private nextBlock(needed: number): void {
    const pending = this.start < this.end_ ? this.block.subarray(this.start, this.end_) : undefined;
    this.block = Buffer.allocUnsafe(Math.max(BLOCK_BYTES, needed));
    this.start = this.end_ = 0;
    // Written on the next flush, in order: the stream keeps chunks in the order they came.
    if (pending !== undefined) this.stream.write(pending);
  }

  /** Hands the gathered lines to the stream; resolves once the stream can take more. */
  async flush(): Promise<void> {
    if (this.start === this.end_) return;
    const text = this.block.subarray(this.start, this.end_);
    this.start = this.end_;
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
