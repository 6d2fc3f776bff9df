/**
 * Streaming reader for CloudFront standard access logs (W3C extended format: `#Version` and
 * `#Fields` header lines, then tab-separated, URL-encoded values, `-` for empty), and for standard
 * logging v2's JSON lines. Whether a file's values are percent-encoded on top of the request or
 * hold it as received is decided per file from its query strings
 * (collector/eventLogs/logEncoding.ts says how and why), and named in the report.
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
import { encodingOf, lineSign, LogEncoding } from "../collector/eventLogs/logEncoding";

export type LogProblemKind =
  | "no-fields-header"
  | "column-count"
  | "bad-encoding"
  | "bad-json"
  | "over-long"
  | "no-query-field"
  | "unknown-encoding"
  | "unreadable";

/** The field every tracker event is in: a file without it holds no events at all. */
const QUERY_FIELD = "cs-uri-query";

/**
 * The longest line read. CloudFront does not log a request whose URL passes 8,192 bytes or whose
 * headers pass 20 KB, so no real line comes near this; a file without newlines (a damaged or
 * foreign file) is cut into one problem instead of being held in memory whole.
 */
export const MAX_LINE_CHARS = 64 * 1024;

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
 * speed, and most fields are never looked at. A line read percent-encoded had its escapes
 * checked when it was read, so decoding cannot fail.
 */
export class AccessLogRecord {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly header: LogHeader,
    /** A W3C line as logged, or a JSON record's values in header order, as logged. */
    private readonly text: string | readonly string[],
    /** Whether the line holds the request as received, or percent-encoded on top (the file's encoding). */
    readonly asReceived: boolean = false,
    /** A W3C line's valueStarts, when the parser has them; else found when a value is first cut. */
    private starts?: readonly number[],
  ) {}

  /** The decoded value of a field ("" for `-`), or undefined when this file has no such field. */
  get(name: string): string | undefined {
    const i = this.header.indexOf(name);
    return i === undefined ? undefined : this.decode(this.raw(i));
  }

  /** Undoes the file's encoding of a value, or of a part of one cut out of getLogged. */
  decode(logged: string): string {
    if (!this.asReceived) return decodeLogValue(logged);
    return logged === "-" ? "" : logged;
  }

  /**
   * A field's value as logged, still in the file's encoding ("-" for empty), or undefined when
   * this file has no such field: for readers that decode only the part of a value they need.
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
    this.header.names.forEach((name, i) => (out[name] = this.decode(values[i])));
    return out;
  }

  /** The i-th value as logged. */
  private raw(i: number): string {
    if (typeof this.text !== "string") return this.text[i];
    this.starts ??= valueStarts(this.text);
    return this.text.slice(this.starts[i], this.starts[i + 1] - 1);
  }
}

/**
 * Where each tab-separated value of a W3C line starts, and, last, one past the line's end (where
 * a value after it would start): n + 1 numbers for n values. The parser counts a line's values
 * with this one scan, and the record keeps it: an export reads a dozen fields of each line,
 * several twice, and finding each by its tabs from the line's start cost it a twentieth.
 */
function valueStarts(line: string): number[] {
  const starts = [0];
  for (let tab = line.indexOf("\t"); tab !== -1; tab = line.indexOf("\t", tab + 1)) starts.push(tab + 1);
  starts.push(line.length + 1);
  return starts;
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

/**
 * Whether a JSON line may hold a value with a bad escape: one scan of the line instead of one per
 * value. Without a backslash, no JSON escape can make a `%` or its digits, so every value's `%`
 * signs are in the line as they are in the value, each followed by the same two characters or by
 * the value's closing quote, which is no hex digit: a line without a bad escape has no such value.
 * (A key's bad escape only sends the line to the scan of its values.)
 */
function mayHaveBadEscape(jsonLine: string): boolean {
  return jsonLine.indexOf("\\") !== -1 || badEscapeAt(jsonLine) !== -1;
}

/** A JSON record's value that is no string, as a log value: numbers as their text, null as empty. */
function jsonLogValue(value: unknown): string {
  if (value === null || value === undefined) return "-";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function sameNames(names: readonly string[], previous: readonly string[] | undefined): boolean {
  if (previous === undefined || names.length !== previous.length) return false;
  for (let i = 0; i < names.length; i++) if (names[i] !== previous[i]) return false;
  return true;
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
  /** How the file holds its requests (logEncoding.ts); unset if it had no data line. */
  encoding?: LogEncoding;
  /**
   * Problems of the whole file that still let it be read: a file that fits neither encoding, or
   * whose records have no query field and so can hold no event.
   */
  readonly fileProblems: LogProblem[];
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
  /** A line past MAX_LINE_CHARS being skipped to its end: where it started, how long so far. */
  private overlong: { line: number; chars: number } | undefined;
  /** The keys of the JSON records read last, which this.header names. */
  private jsonNames: readonly string[] | undefined;
  /** Where the query is in the current header's records, if it is there. */
  private queryIndex: number | undefined;
  /** Whether any record had a query field; a file without one is reported. */
  private sawQueryField = false;
  /** Lines whose query says the file holds requests as received, or percent-encoded: count, first. */
  private readonly signs = {
    asReceived: { lines: 0, first: 0 },
    percentEncoded: { lines: 0, first: 0 },
  };

  constructor(
    file: string,
    private readonly onRecord: RecordHandler,
  ) {
    this.report = { file, dataLines: 0, records: 0, badLines: 0, problems: [], fileProblems: [] };
  }

  push(text: string): void {
    let from = 0;
    if (this.overlong !== undefined) {
      const newline = text.indexOf("\n");
      if (newline === -1) {
        this.overlong.chars += text.length;
        return;
      }
      this.overlong.chars += newline;
      this.finishOverlong();
      from = newline + 1;
    }
    const last = text.lastIndexOf("\n");
    if (last < from) {
      this.keepTail(text, from);
      return;
    }
    const body = text.slice(from, last);
    const lines = (this.tail.length === 0 ? body : this.tail + body).split("\n");
    this.tail = "";
    for (let i = 0; i < lines.length; i++) this.parseLine(lines[i]);
    this.keepTail(text, last + 1);
  }

  /** How much of an unfinished line the parser holds: never more than MAX_LINE_CHARS. */
  get bufferedChars(): number {
    return this.tail.length;
  }

  /** Keeps the start of a line for the next chunk, unless it is already too long to be one. */
  private keepTail(text: string, from: number): void {
    const length = this.tail.length + text.length - from;
    if (length > MAX_LINE_CHARS) {
      this.tail = "";
      this.overlong = { line: this.lineNumber + 1, chars: length };
    } else if (from < text.length) {
      this.tail += text.slice(from);
    }
  }

  /** An over-long line ended (or the file did): one problem for it, however long it was. */
  private finishOverlong(): void {
    const { line, chars } = this.overlong as { line: number; chars: number };
    this.overlong = undefined;
    this.lineNumber = line;
    this.report.format ??= "w3c";
    this.report.dataLines++;
    this.overlongProblem(chars);
  }

  private overlongProblem(chars: number): void {
    this.problem(
      "over-long",
      `a line of ${chars} characters or more, past the ${MAX_LINE_CHARS} any CloudFront log line fits in ` +
        "(requests with URLs over 8,192 bytes are not logged): skipped",
    );
  }

  /** The input ended cleanly: a last line without `\n` still counts. */
  end(): void {
    if (this.overlong !== undefined) this.finishOverlong();
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
    this.concludeFile();
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
    if (this.overlong !== undefined) this.finishOverlong();
    this.report.fileError = {
      file: this.report.file,
      kind: "unreadable",
      message: `${error} (after ${this.lineNumber} lines, which were kept${partial})`,
    };
    this.concludeFile();
  }

  /** Names the file's encoding, and reports what makes the whole file suspect. */
  private concludeFile(): void {
    if (this.report.dataLines === 0) return;
    const { asReceived, percentEncoded } = this.signs;
    this.report.encoding = encodingOf(asReceived.lines, percentEncoded.lines);
    if (this.report.encoding === "neither") {
      this.fileProblem(
        "unknown-encoding",
        `fits neither encoding: line ${asReceived.first} (and ${asReceived.lines - 1} more) holds its query ` +
          `as received, line ${percentEncoded.first} (and ${percentEncoded.lines - 1} more) percent-encoded on ` +
          "top; the lines from the first one that disagreed on are kept as logged",
      );
    }
    if (this.report.records > 0 && !this.sawQueryField) {
      this.fileProblem(
        "no-query-field",
        `no ${QUERY_FIELD} field in its ${this.report.format === "json" ? "records" : "#Fields header"}: ` +
          "tracker events travel in the query string, so this file can hold none (check the delivery's recordFields)",
      );
    }
  }

  private fileProblem(kind: LogProblemKind, message: string): void {
    this.report.fileProblems.push({ file: this.report.file, kind, message });
  }

  /**
   * Takes one line's query into account and says how to read the line: as received once any line
   * said so (a file fitting neither is kept as logged from there on), percent-encoded otherwise,
   * which is also right for a line that tells nothing (logEncoding.ts).
   */
  private readAsReceived(loggedQuery: string | undefined): boolean {
    const sign = loggedQuery === undefined ? undefined : lineSign(loggedQuery);
    if (sign !== undefined) {
      const count = sign === "as received" ? this.signs.asReceived : this.signs.percentEncoded;
      if (count.lines++ === 0) count.first = this.lineNumber;
    }
    return this.signs.asReceived.lines > 0;
  }

  private parseLine(text: string): void {
    this.lineNumber++;
    const line = text.charCodeAt(text.length - 1) === 13 /* \r */ ? text.slice(0, -1) : text;
    if (line.length === 0) return;
    if (line.length > MAX_LINE_CHARS) {
      this.report.format ??= line.charCodeAt(0) === 123 /* { */ ? "json" : "w3c";
      this.report.dataLines++;
      this.overlongProblem(line.length);
      return;
    }
    // The first line says which format the whole file is: v2's JSON files hold one object a line.
    this.report.format ??= line.charCodeAt(0) === 123 /* { */ ? "json" : "w3c";
    if (this.report.format === "json") {
      this.parseJsonLine(line);
      return;
    }
    if (line.charCodeAt(0) === 35 /* # */) {
      if (line.startsWith(FIELDS_PREFIX)) {
        this.header = new LogHeader(line.slice(FIELDS_PREFIX.length).trim().split(/\s+/));
        this.queryIndex = this.header.indexOf(QUERY_FIELD);
        if (this.queryIndex !== undefined) this.sawQueryField = true;
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
    const starts = valueStarts(line);
    const count = starts.length - 1;
    if (count !== this.header.names.length) {
      this.problem(
        "column-count",
        `${count} tab-separated values, but the #Fields header names ${this.header.names.length}`,
      );
      return;
    }
    const asReceived = this.readAsReceived(
      this.queryIndex === undefined
        ? undefined
        : line.slice(starts[this.queryIndex], starts[this.queryIndex + 1] - 1),
    );
    // One scan of the whole line; the field is only looked for when something is wrong. A line
    // as received holds whatever the client sent, bad escapes included: nothing to check.
    if (!asReceived && badEscapeAt(line) !== -1) {
      const values = line.split("\t");
      const i = values.findIndex((value) => badEscapeAt(value) !== -1);
      this.problem("bad-encoding", `field ${this.header.names[i]} has bad percent-encoding: ${values[i]}`);
      return;
    }
    this.report.records++;
    this.onRecord(
      new AccessLogRecord(this.report.file, this.lineNumber, this.header, line, asReceived, starts),
    );
  }

  /**
   * One JSON record, keyed by field name: a field AWS adds cannot shift the others. Values are
   * CloudFront's log values (`-` for empty), percent-encoded as in W3C files or as received,
   * whichever the file turns out to hold; numbers are taken as their text, null as empty.
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
    // Per line, JSON.parse is most of the cost; what follows stays small: values turned into log
    // values in place (a delivery's are strings), keys compared with the last record's rather
    // than joined into a signature, and one scan of the line for bad escapes (mayHaveBadEscape).
    const values: unknown[] = Object.values(parsed);
    for (let i = 0; i < values.length; i++) {
      if (typeof values[i] !== "string") values[i] = jsonLogValue(values[i]);
    }
    const names = Object.keys(parsed);
    if (!sameNames(names, this.jsonNames)) {
      // Records of one delivery share their keys: one header for the run of them.
      this.jsonNames = names;
      this.header = new LogHeader(names);
      this.queryIndex = this.header.indexOf(QUERY_FIELD);
      if (this.queryIndex !== undefined) this.sawQueryField = true;
    }
    const logged = values as string[];
    const asReceived = this.readAsReceived(
      this.queryIndex === undefined ? undefined : logged[this.queryIndex],
    );
    if (!asReceived && mayHaveBadEscape(line)) {
      const bad = logged.findIndex((value) => badEscapeAt(value) !== -1);
      if (bad !== -1) {
        this.problem("bad-encoding", `field ${names[bad]} has bad percent-encoding: ${logged[bad]}`);
        return;
      }
    }
    this.report.records++;
    this.onRecord(
      new AccessLogRecord(this.report.file, this.lineNumber, this.header as LogHeader, logged, asReceived),
    );
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
    feedHoldingTrailer(input, gunzip);
    text = gunzip;
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

/** A gzip member ends with its CRC-32 and length: 8 bytes. */
const GZIP_TRAILER_BYTES = 8;

/**
 * Feeds a gzip stream to gunzip, holding the last 8 bytes back until everything before them has
 * been inflated and flushed. zlib checks a member's checksum when it reaches the trailer, and on a
 * mismatch fails that inflate call without handing over its output: up to a chunk of the file's
 * last lines, which `zcat` prints. Flushing first keeps every line zlib can inflate; the error
 * still comes, and the file is still reported.
 */
function feedHoldingTrailer(input: Readable, gunzip: zlib.Gunzip): void {
  const write = (chunk: Buffer) =>
    gunzip.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => gunzip.once("drain", resolve));
  void (async () => {
    let held = Buffer.alloc(0);
    for await (const chunk of input as AsyncIterable<Buffer>) {
      if (gunzip.destroyed) return;
      if (chunk.length < GZIP_TRAILER_BYTES) {
        const all = Buffer.concat([held, chunk]);
        const cut = Math.max(0, all.length - GZIP_TRAILER_BYTES);
        held = all.subarray(cut);
        if (cut > 0) await write(all.subarray(0, cut));
        continue;
      }
      // The usual case: what was held goes first, then all of this chunk but its last 8 bytes.
      if (held.length > 0) await write(held);
      const cut = chunk.length - GZIP_TRAILER_BYTES;
      held = Buffer.from(chunk.subarray(cut));
      await write(chunk.subarray(0, cut));
    }
    if (gunzip.destroyed) return;
    await new Promise<void>((resolve) => gunzip.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve()));
    gunzip.end(held);
  })().catch((error: Error) => gunzip.destroy(error));
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
