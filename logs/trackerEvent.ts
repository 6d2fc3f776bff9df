/**
 * A tracker event as it appears in the access log: a GET of the pixel whose query string holds
 * the Snowplow tracker protocol parameters (e=pv, eid=..., aid=...).
 */
import { PIXEL_PATH } from "../collector/trackerConfig";
import { AccessLogRecord } from "./accessLog";
import { FIELD } from "./accessLogFields";

export interface TrackerEvent {
  readonly file: string;
  readonly line: number;
  /** When the edge finished answering, from the log's date and time (UTC). */
  readonly timestamp: string;
  readonly status: string;
  readonly protocol: string;
  readonly edgeResultType: string;
  /** The tracker protocol parameters, fully decoded. */
  readonly params: Readonly<Record<string, string>>;
}

/** Only these lines carry events: a POST, or a GET of another path, never reaches the pipeline. */
export function isTrackerHit(record: AccessLogRecord): boolean {
  return (
    record.get(FIELD.method) === "GET" &&
    record.get(FIELD.uriStem) === PIXEL_PATH &&
    record.has(FIELD.uriQuery)
  );
}

/**
 * Parses a query string the reader has already decoded once. CloudFront percent-encodes `%` in
 * the log field, so a tracker's `%20` is logged as `%2520`: the reader's decoding turns it back
 * into the `%20` the tracker sent, and URLSearchParams undoes the tracker's own encoding.
 */
export function decodeTrackerQuery(query: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(query)) params[name] = value;
  return params;
}

export function trackerEventOf(record: AccessLogRecord): TrackerEvent | undefined {
  if (!isTrackerHit(record)) return undefined;
  return {
    file: record.file,
    line: record.line,
    timestamp: `${record.get(FIELD.date) ?? ""}T${record.get(FIELD.time) ?? ""}Z`,
    status: record.get(FIELD.status) ?? "",
    protocol: record.get(FIELD.protocol) ?? "",
    edgeResultType: record.get(FIELD.edgeResultType) ?? "",
    params: decodeTrackerQuery(record.get(FIELD.uriQuery) ?? ""),
  };
}

/** Builds a query string the way the JavaScript tracker does (encodeURIComponent, `%20` for space). */
export function encodeTrackerQuery(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join("&");
}
