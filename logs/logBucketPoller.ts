/**
 * Waits for an event to show up in the log bucket: lists new log files under the prefix, reads
 * each once, and stops at the first line carrying the event id, or when time runs out.
 */
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { Readable } from "stream";
import { LoggingMode } from "../collector/config/args";
import { v2DistributionKeyPrefix, v2KeyPrefix } from "../collector/eventLogs/logLayout";
import { AccessLogRecord, FileReadReport, readAccessLog } from "./accessLog";
import { TrackerEvent, trackerEventOf } from "./trackerEvent";

export interface PollOptions {
  client: S3Client;
  bucket: string;
  /** The logging prefix, e.g. "cloudfront/prod/"; "" for none. */
  prefix: string;
  /** Narrows the listing to this distribution's files, from the hour before `since` on. */
  distributionId?: string;
  /** How the files under the prefix are laid out (stack output loggingMode); legacy by default. */
  mode?: LoggingMode;
  eventId: string;
  /** Files written before this (less a margin for clock skew) are not read. */
  since: Date;
  timeoutMs: number;
  intervalMs: number;
  /** Progress for the user: one line per poll and per file read. */
  onProgress?: (message: string) => void;
}

export interface PollFound {
  found: true;
  key: string;
  event: TrackerEvent;
  /** Every line of that file carrying the event (an HTTP event redirected to HTTPS is logged twice). */
  lines: number;
  /** How that file read: format, encoding, problems. */
  report: FileReadReport;
  /** The field names of its first record, in file order. */
  fields: readonly string[];
}

export interface PollTimedOut {
  found: false;
  filesRead: number;
  /** Files that could not be read to the end, or had bad lines. */
  problems: string[];
}

/** CloudFront names files for the hour of their requests; clocks are allowed to be an hour apart. */
const CLOCK_MARGIN_MS = 3_600_000;

/** `<prefix><distributionId>.YYYY-MM-DD-HH`: every key of that hour or later sorts after it. */
export function startAfterKey(prefix: string, distributionId: string, since: Date): string {
  const hour = new Date(since.getTime() - CLOCK_MARGIN_MS).toISOString().slice(0, 13).replace("T", "-");
  return `${prefix}${distributionId}.${hour}`;
}

/**
 * v2: the partition path of the hour before `since` (`.../hour=09/`): the zero-padded partitions
 * sort in time order, so every key of that hour or later sorts after it.
 */
export function v2StartAfterKey(prefix: string, distributionId: string, since: Date): string {
  return v2KeyPrefix(prefix, { distributionId, time: new Date(since.getTime() - CLOCK_MARGIN_MS) });
}

/** Where to list, and from which key on. */
export function listingOf(options: Pick<PollOptions, "prefix" | "distributionId" | "since" | "mode">): {
  prefix: string;
  startAfter?: string;
} {
  const id = options.distributionId;
  if (options.mode === "v2") {
    return id === undefined
      ? { prefix: options.prefix }
      : {
          prefix: v2DistributionKeyPrefix(options.prefix, id),
          startAfter: v2StartAfterKey(options.prefix, id, options.since),
        };
  }
  return id === undefined
    ? { prefix: options.prefix }
    : { prefix: `${options.prefix}${id}.`, startAfter: startAfterKey(options.prefix, id, options.since) };
}

async function listNewKeys(options: PollOptions, seen: ReadonlySet<string>): Promise<string[]> {
  const { prefix, startAfter } = listingOf(options);
  const notBefore = options.since.getTime() - CLOCK_MARGIN_MS;
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await options.client.send(
      new ListObjectsV2Command({
        Bucket: options.bucket,
        Prefix: prefix,
        StartAfter: token === undefined ? startAfter : undefined,
        ContinuationToken: token,
      }),
    );
    for (const object of page.Contents ?? []) {
      if (object.Key === undefined || seen.has(object.Key)) continue;
      if (object.LastModified !== undefined && object.LastModified.getTime() < notBefore) continue;
      keys.push(object.Key);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return keys;
}

async function readObject(
  options: PollOptions,
  key: string,
  onRecord: (record: AccessLogRecord) => void,
): Promise<FileReadReport> {
  const object = await options.client.send(new GetObjectCommand({ Bucket: options.bucket, Key: key }));
  const body = object.Body as Readable;
  // v2's file names are CloudFront's to choose: look at the bytes rather than the name.
  return readAccessLog(
    body,
    { file: key, gzip: options.mode === "v2" ? "auto" : key.endsWith(".gz") },
    onRecord,
  );
}

export async function pollForEvent(options: PollOptions): Promise<PollFound | PollTimedOut> {
  const deadline = Date.now() + options.timeoutMs;
  const seen = new Set<string>();
  const problems: string[] = [];
  const progress = options.onProgress ?? (() => undefined);
  for (;;) {
    const keys = await listNewKeys(options, seen);
    progress(`${keys.length} new log file(s) in s3://${options.bucket}/${options.prefix}`);
    for (const key of keys) {
      seen.add(key);
      let first: TrackerEvent | undefined;
      let lines = 0;
      let fields: readonly string[] | undefined;
      const report = await readObject(options, key, (record) => {
        fields ??= record.header.names;
        const event = trackerEventOf(record);
        if (event === undefined || event.params.eid !== options.eventId) return;
        first ??= event;
        lines++;
      });
      if (report.fileError) problems.push(`${key}: ${report.fileError.message}`);
      if (report.badLines > 0)
        problems.push(`${key}: ${report.badLines} bad line(s), first: ${report.problems[0]?.message}`);
      if (first !== undefined) return { found: true, key, event: first, lines, report, fields: fields ?? [] };
    }
    const left = deadline - Date.now();
    if (left <= 0) return { found: false, filesRead: seen.size, problems };
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs, left)));
  }
}
