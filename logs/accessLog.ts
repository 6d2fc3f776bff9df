/**
 * Streaming reader for CloudFront standard access logs (W3C extended format: `#Version` and
 * `#Fields` header lines, then tab-separated, URL-encoded values, `-` for empty).
 *
 * Each record is keyed by the `#Fields` header of its own file, never by a fixed column list:
 * AWS has added fields five times, and a fixed-column parser lost data each time
 * (snowplow/snowplow #2933). A bad line is counted and reported, never thrown and never dropped
 * without a trace; a broken gzip stream ends that file with an error, keeping what was read.
 */
import * as fs from "fs";
import { isAscii } from "buffer";
import { Readable } from "stream";
import { StringDecoder } from "string_decoder";
import * as zlib from "zlib";

export type LogProblemKind = "no-fields-header" | "column-count" | "bad-encoding" | "bad-json" | "unreadable";

/** The two formats the reader takes: W3C (legacy, and v2 `w3c`) and JSON lines (v2 `json`). */
export type LogFileFormat = "w3c" | "json";

export interface LogProblem {
  readonly file: string;
  /** 1-based line number in the decompressed file; absent for problems of the whole file. */
  readonly line?: number;
  readonly kind: LogProblemKind;
  readonly message: string;
}

/** The field names of one `#Fields` header, shared by every record that follows it. */
export class LogHeader {
  private readonly index = new Map<string, number>();

  constructor(readonly names: readonly string[]) {
    names.forEach((name, i) => this.index.set(name, i));
  }

  indexOf(name: string): number | undefined {
    return this.index.get(name);
  }
}

/**
 * One data line. It keeps the line as logged and cuts a field out, and decodes it, only when
 * asked: splitting and decoding every field of every line would cost the reader half its
 * speed, and most fields are never looked at. The line's percent-encoding was checked when it
 * was read, so decoding cannot fail.
 */
export class AccessLogRecord {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly header: LogHeader,
    /** A W3C line as logged, or a JSON record's values in header order, as logged. */
    private readonly text: string | readonly string[],
  ) {}

  /** The decoded value of a field ("" for `-`), or undefined when this file has no such field. */
  get(name: string): string | undefined {
    const i = this.header.indexOf(name);
    return i === undefined ? undefined : decodeLogValue(this.raw(i));
  }

  /**
   * A field's value as logged, still percent-encoded ("-" for empty), or undefined when this
   * file has no such field: for readers that decode only the part of a value they need.
   */
  getLogged(name: string): string | undefined {
    const i = this.header.indexOf(name);
    return i === undefined ? undefined : this.raw(i);
  }

  /** Whether a field is there and not empty, without decoding it. */
  has(name: string): boolean {
    const i = this.header.indexOf(name);
    if (i === undefined) return false;
    const raw = this.raw(i);
    return raw !== "-" && raw !== "";
  }

  toObject(): Record<string, string> {
    const out: Record<string, string> = {};
    const values = typeof this.text === "string" ? this.text.split("\t") : this.text;
    this.header.names.forEach((name, i) => (out[name] = decodeLogValue(values[i])));
    return out;
  }

  /** The i-th tab-separated value as logged. */
  private raw(i: number): string {
    if (typeof this.text !== "string") return this.text[i];
    let start = 0;
    for (let k = 0; k < i; k++) start = this.text.indexOf("\t", start) + 1;
    const end = this.text.indexOf("\t", start);
    return this.text.slice(start, end === -1 ? this.text.length : end);
  }
}

function countValues(line: string): number {
  let count = 1;
  for (let tab = line.indexOf("\t"); tab !== -1; tab = line.indexOf("\t", tab + 1)) count++;
  return count;
}

/**
 * Undoes CloudFront's encoding of one value. Bytes that are not UTF-8 (a client may send any)
 * become U+FFFD instead of failing: the log line itself is well-formed.
 */
export function decodeLogValue(raw: string): string {
  if (raw === "-") return "";
  if (raw.indexOf("%") === -1) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return Buffer.from(
      raw.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      "latin1",
    ).toString("utf8");
  }
}

function isHexDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/** Where a `%` is not followed by two hex digits, or -1. */
function badEscapeAt(text: string): number {
  let at = text.indexOf("%");
  while (at !== -1) {
    if (!isHexDigit(text.charCodeAt(at + 1)) || !isHexDigit(text.charCodeAt(at + 2))) return at;
    at = text.indexOf("%", at + 3);
  }
  return -1;
}

/** How many line problems a report keeps in full; the rest are still counted. */
export const MAX_PROBLEMS_KEPT = 100;

export interface FileReadReport {
  readonly file: string;
  /** What the file turned out to be: W3C with a `#Fields` header, or JSON lines; unset if empty. */
  format?: LogFileFormat;
  /** Data lines seen (good and bad), headers and blank lines excluded. */
  dataLines: number;
  records: number;
  badLines: number;
  /** The first MAX_PROBLEMS_KEPT bad lines, in file order. */
  readonly problems: LogProblem[];
  /** Set when the file could not be read to its end (truncated gzip, I/O error). */
  fileError?: LogProblem;
}

export type RecordHandler = (record: AccessLogRecord) => void;

/**
 * Called after the records of each chunk of text were handed over; the next chunk waits for it.
 * How a consumer that writes somewhere slow (a pipe, a disk) keeps memory bounded.
 */
export type ChunkHandler = () => Promise<void>;

const FIELDS_PREFIX = "#Fields:";

/**
 * Turns text into records. Push text in any chunking; lines are cut at `\n`. Kept separate from
 * the stream plumbing so the rules of the format can be tested line by line.
 */
export class AccessLogParser {
  readonly report: FileReadReport;
  private header: LogHeader | undefined;
  private lineNumber = 0;
  /** Data lines before the first `#Fields` header: one problem for all of them, not one each. */
  private headless: { first: number; last: number; count: number } | undefined;
  private tail = "";
  private jsonSignature: string | undefined;

  constructor(
    file: string,
    private readonly onRecord: RecordHandler,
  ) {
    this.report = { file, dataLines: 0, records: 0, badLines: 0, problems: [] };
  }

  push(text: string): void {
    const lines = (this.tail.length === 0 ? text : this.tail + text).split("\n");
    this.tail = lines.pop() ?? "";
    for (let i = 0; i < lines.length; i++) this.parseLine(lines[i]);
  }

  /** The input ended cleanly: a last line without `\n` still counts. */
  end(): void {
    if (this.tail.length > 0) this.parseLine(this.tail);
    this.tail = "";
    if (this.forgetHeadlessLines()) {
      // No header anywhere: not an access log (binary, another format). One problem for the file.
      this.report.fileError = {
        file: this.report.file,
        kind: "unreadable",
        message: `not a CloudFront access log: no #Fields header line, nor JSON records, in ${this.lineNumber} lines`,
      };
    }
  }

  /**
   * In a file that never had a header, the lines counted as bad data were no log data at all: take
   * them back, so that the file is one problem. Returns whether there were such lines.
   */
  private forgetHeadlessLines(): boolean {
    if (this.header !== undefined || this.headless === undefined) return false;
    this.report.dataLines -= this.headless.count;
    this.report.badLines -= this.headless.count;
    this.headless = undefined;
    return true;
  }

  /** The input broke off: a partial last line is not data, and is not parsed. */
  abandon(error: string): void {
    const partial =
      this.tail.length > 0 ? `; an incomplete last line after line ${this.lineNumber} was dropped` : "";
    this.tail = "";
    // The file error below is the one problem of a file that never had a header.
    this.forgetHeadlessLines();
    this.report.fileError = {
      file: this.report.file,
      kind: "unreadable",
      message: `${error} (after ${this.lineNumber} lines, which were kept${partial})`,
    };
  }

  private parseLine(text: string): void {
    this.lineNumber++;
    const line = text.charCodeAt(text.length - 1) === 13 /* \r */ ? text.slice(0, -1) : text;
    if (line.length === 0) return;
    // The first line says which format the whole file is: v2's JSON files hold one object a line.
    this.report.format ??= line.charCodeAt(0) === 123 /* { */ ? "json" : "w3c";
    if (this.report.format === "json") {
      this.parseJsonLine(line);
      return;
    }
    if (line.charCodeAt(0) === 35 /* # */) {
      if (line.startsWith(FIELDS_PREFIX)) {
        this.header = new LogHeader(line.slice(FIELDS_PREFIX.length).trim().split(/\s+/));
        this.reportHeadless();
      }
      return;
    }
    this.report.dataLines++;
    if (this.header === undefined) {
      this.report.badLines++;
      const { first = this.lineNumber, count = 0 } = this.headless ?? {};
      this.headless = { first, last: this.lineNumber, count: count + 1 };
      return;
    }
    const count = countValues(line);
    if (count !== this.header.names.length) {
      this.problem(
        "column-count",
        `${count} tab-separated values, but the #Fields header names ${this.header.names.length}`,
      );
      return;
    }
    // One scan of the whole line; the field is only looked for when something is wrong.
    if (badEscapeAt(line) !== -1) {
      const values = line.split("\t");
      const i = values.findIndex((value) => badEscapeAt(value) !== -1);
      this.problem("bad-encoding", `field ${this.header.names[i]} has bad percent-encoding: ${values[i]}`);
      return;
    }
    this.report.records++;
    this.onRecord(new AccessLogRecord(this.report.file, this.lineNumber, this.header, line));
  }

  /**
   * One JSON record, keyed by field name: a field AWS adds cannot shift the others. Values are
   * CloudFront's log values as in W3C files (percent-encoded, `-` for empty); numbers are taken
   * as their text, null as empty.
   */
  private parseJsonLine(line: string): void {
    this.report.dataLines++;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      this.problem("bad-json", `not a JSON object: ${(error as Error).message}`);
      return;
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      this.problem("bad-json", "a JSON value that is not an object");
      return;
    }
    const names = Object.keys(parsed);
    const values = Object.values(parsed).map((v: unknown) =>
      v === null || v === undefined ? "-" : typeof v === "object" ? JSON.stringify(v) : String(v),
    );
    const bad = values.findIndex((value) => badEscapeAt(value) !== -1);
    if (bad !== -1) {
      this.problem("bad-encoding", `field ${names[bad]} has bad percent-encoding: ${values[bad]}`);
      return;
    }
    const signature = names.join(" ");
    if (signature !== this.jsonSignature) {
      // Records of one delivery share their keys: one header for the run of them.
      this.jsonSignature = signature;
      this.header = new LogHeader(names);
    }
    this.report.records++;
    this.onRecord(new AccessLogRecord(this.report.file, this.lineNumber, this.header as LogHeader, values));
  }

  private reportHeadless(): void {
    if (this.headless === undefined) return;
    const { first, last, count } = this.headless;
    this.headless = undefined;
    if (this.report.problems.length < MAX_PROBLEMS_KEPT) {
      const lines = count === 1 ? "a data line" : `${count} data lines (lines ${first}-${last})`;
      this.report.problems.push({
        file: this.report.file,
        line: first,
        kind: "no-fields-header",
        message: `${lines} before any #Fields header line`,
      });
    }
  }

  private problem(kind: LogProblemKind, message: string): void {
    this.report.badLines++;
    if (this.report.problems.length < MAX_PROBLEMS_KEPT) {
      this.report.problems.push({ file: this.report.file, line: this.lineNumber, kind, message });
    }
  }
}

export interface ReadOptions {
  /** Name used in records and problems: a path, or an S3 key. */
  readonly file: string;
  /** "auto" looks at the first bytes: v2's file names are CloudFront's to choose. */
  readonly gzip: boolean | "auto";
}

/**
 * Streams one log file through the parser. Resolves with the file's report in every case; a
 * stream or gzip error becomes the report's fileError, with the records before it delivered.
 */
export async function readAccessLog(
  input: Readable,
  options: ReadOptions,
  onRecord: RecordHandler,
  afterChunk?: ChunkHandler,
): Promise<FileReadReport> {
  const parser = new AccessLogParser(options.file, onRecord);
  const decoder = new StringDecoder("utf8");
  let gzip = options.gzip;
  if (gzip === "auto") {
    const sniffed = await sniffGzip(input);
    gzip = sniffed.gzip;
    input = sniffed.stream;
  }
  let text: Readable = input;
  if (gzip) {
    // 64 KiB output chunks: big enough to spread the per-chunk cost of the stream machinery,
    // small enough that their strings stay in V8's young generation. Strings past ~128 KiB go
    // to large-object space and wait for a full GC, which made peak memory grow with the file.
    const gunzip = zlib.createGunzip({ chunkSize: 64 * 1024 });
    input.on("error", (error) => gunzip.destroy(error));
    text = input.pipe(gunzip);
  }
  try {
    for await (const chunk of text) {
      parser.push(decodeChunk(decoder, chunk as Buffer));
      if (afterChunk !== undefined) await afterChunk();
    }
    parser.push(decoder.end());
    parser.end();
  } catch (error) {
    parser.abandon(describeReadError(error));
  } finally {
    input.destroy();
  }
  return parser.report;
}

/**
 * CloudFront percent-encodes every non-ASCII byte, so log text is ASCII and can be copied out
 * without UTF-8 decoding, which otherwise costs the reader a sixth of its time. Other text still
 * goes through the decoder. An ASCII chunk cannot continue a multi-byte sequence left pending
 * by the previous chunk, so flushing the decoder first is right.
 */
function decodeChunk(decoder: StringDecoder, chunk: Buffer): string {
  if (!isAscii(chunk)) return decoder.write(chunk);
  const pending = decoder.end();
  const text = chunk.toString("latin1");
  return pending.length === 0 ? text : pending + text;
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "Z_BUF_ERROR" || code === "Z_DATA_ERROR") {
    return `gzip data is corrupt or truncated (${(error as Error).message})`;
  }
  return error instanceof Error ? error.message : String(error);
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** Reads the first chunk to see whether the stream is gzip, and gives back the whole stream. */
async function sniffGzip(input: Readable): Promise<{ gzip: boolean; stream: Readable }> {
  const chunks = input[Symbol.asyncIterator]();
  let first: IteratorResult<Buffer>;
  try {
    first = await chunks.next();
  } catch (error) {
    const failed = new Readable({ read() {} });
    process.nextTick(() => failed.destroy(error as Error));
    return { gzip: false, stream: failed };
  }
  const head = first.done ? Buffer.alloc(0) : Buffer.from(first.value);
  const gzip = head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  const stream = Readable.from(
    (async function* () {
      if (!first.done) yield head;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
    })(),
    { objectMode: false },
  );
  stream.on("close", () => input.destroy());
  return { gzip, stream };
}

/** Reads a log file from disk, gzipped (as CloudFront writes them) or plain. */
export async function readAccessLogFile(
  file: string,
  onRecord: RecordHandler,
  afterChunk?: ChunkHandler,
): Promise<FileReadReport> {
  let gzip: boolean;
  const unreadable = (message: string) => {
    const report = new AccessLogParser(file, onRecord).report;
    report.fileError = { file, kind: "unreadable", message };
    return report;
  };
  try {
    gzip = await startsWith(file, GZIP_MAGIC);
  } catch (error) {
    return unreadable((error as Error).message);
  }
  // CloudFront's files are all .gz: one that is not gzip was renamed, or damaged in transfer.
  if (!gzip && file.endsWith(".gz")) return unreadable("not gzip: the name ends in .gz, the content is not");
  return readAccessLog(
    fs.createReadStream(file, { highWaterMark: 64 * 1024 }),
    { file, gzip },
    onRecord,
    afterChunk,
  );
}

async function startsWith(file: string, magic: number[]): Promise<boolean> {
  const handle = await fs.promises.open(file, "r");
  try {
    const head = Buffer.alloc(magic.length);
    const { bytesRead } = await handle.read(head, 0, magic.length, 0);
    return bytesRead === magic.length && magic.every((byte, i) => head[i] === byte);
  } finally {
    await handle.close();
  }
}
