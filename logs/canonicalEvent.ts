/**
 * A tracker event as Snowplow's canonical event: the columns of the one map
 * (collector/analytics/canonicalEvent.ts), computed from a log record the way the Athena view
 * `events` computes them in SQL. What `--json` and `--format jsonl` write, so a file loads into
 * DuckDB or a warehouse with the view's schema: every column in every row, NULL as null,
 * timestamps as Athena prints them (`2024-05-17 10:15:42.001`, UTC).
 */
import {
  AUTHORITY_HOST_PATTERN,
  CANONICAL_COLUMNS,
  CanonicalColumn,
  ColumnSource,
  Conversion,
  CONVERSION_PATTERNS,
  EVENT_NAMES,
  URL_PART_GROUP,
  URL_PATTERN,
} from "../collector/analytics/canonicalEvent";
import { AccessLogRecord } from "./accessLog";
import { FIELD } from "./accessLogFields";
import { isTrackerHit, servedPixel } from "./trackerEvent";
import { decodeBase64Text } from "./trackerPayload";

export type CanonicalValue = string | number | boolean | null;
export type CanonicalEvent = Record<string, CanonicalValue>;

/** What a column is computed from: the event's parameters and the record it came in. */
export interface CanonicalSource {
  /** The tracker parameters, decoded as the view decodes them (canonicalParams). */
  readonly params: Readonly<Record<string, string>>;
  readonly record: AccessLogRecord;
}

/**
 * The tracker's parameters, the way the view's SQL reads them (requestDecoding.ts trackerParam):
 * the query string as the tracker sent it, split on `&` and the first `=`, the last of a name
 * winning, each value form-decoded (`+` a space, as java.net.URLDecoder). A value with a bad
 * escape (`url=%ZZ`, which no tracker sends) does not decode: it is left out, as url_decode's
 * error inside try() leaves it NULL, where URLSearchParams would keep it as it came.
 */
export function canonicalParams(trackerQuery: string): Record<string, string> {
  const params = new Map<string, string>();
  for (const pair of trackerQuery.split("&")) {
    const eq = pair.indexOf("=");
    if (eq === -1) continue;
    const value = formDecode(pair.slice(eq + 1));
    const name = pair.slice(0, eq);
    if (value === undefined) params.delete(name);
    else params.set(name, value);
  }
  return Object.fromEntries(params);
}

const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

/** java.net.URLDecoder.decode(value, UTF-8), or undefined where it throws (a bad escape). */
function formDecode(value: string): string | undefined {
  if (value.indexOf("%") === -1 && value.indexOf("+") === -1) return value;
  if (BAD_ESCAPE.test(value)) return undefined;
  const text = value.replace(/\+/g, " ");
  try {
    return decodeURIComponent(text);
  } catch {
    // Escapes that are not UTF-8: URLDecoder replaces them, as Buffer does.
    return Buffer.from(
      text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      "latin1",
    ).toString("utf8");
  }
}

const URL_RE = new RegExp(URL_PATTERN);
const HOST_RE = new RegExp(AUTHORITY_HOST_PATTERN);
const INTEGER_RE = new RegExp(CONVERSION_PATTERNS.integer);
const DOUBLE_RE = new RegExp(CONVERSION_PATTERNS.double);
const MILLIS_RE = new RegExp(CONVERSION_PATTERNS.epochMillis);
const DIMENSION_RE = new RegExp(CONVERSION_PATTERNS.dimension);

/** The parameter's value, or undefined when it is missing or empty (empty sets no field). */
function present(params: Readonly<Record<string, string>>, name: string): string | undefined {
  const value = params[name];
  return value === undefined || value === "" ? undefined : value;
}

/** `YYYY-MM-DD HH:MM:SS.mmm`, UTC: Athena's text for a timestamp(3). */
export function formatTimestamp(epochMillis: number): string {
  return new Date(epochMillis).toISOString().replace("T", " ").replace("Z", "");
}

function convert(value: string, conversion: Conversion): CanonicalValue {
  switch (conversion) {
    case "text":
      return value;
    case "integer":
      return INTEGER_RE.test(value) ? Number(value) : null;
    case "double":
      return DOUBLE_RE.test(value) ? Number(value) : null;
    case "epochMillis": {
      if (!MILLIS_RE.test(value)) return null;
      const millis = Number(value);
      // Trino's timestamp(3) ends at year 9999 too; beyond, Date cannot print it.
      return millis <= 253402300799999 ? formatTimestamp(millis) : null;
    }
    case "booleanFlag":
      return value === "1" ? true : value === "0" ? false : null;
  }
}

/** JSON text as the tracker encoded it, or null when it is not UTF-8 or not JSON. */
function jsonText(params: Readonly<Record<string, string>>, base64: string, plain: string): string | null {
  const encoded = present(params, base64);
  let text: string;
  if (encoded !== undefined) {
    const decoded = decodeBase64Text(encoded);
    if (decoded.problem !== undefined) return null;
    text = decoded.text;
  } else {
    const raw = present(params, plain);
    if (raw === undefined) return null;
    text = raw;
  }
  try {
    JSON.parse(text);
    return text;
  } catch {
    return null;
  }
}

function valueOf(source: ColumnSource, { params, record }: CanonicalSource): CanonicalValue {
  switch (source.kind) {
    case "param": {
      for (const name of source.params) {
        const value = present(params, name);
        if (value !== undefined) return convert(value, source.conversion);
      }
      return null;
    }
    case "eventName": {
      const code = present(params, source.param);
      return code !== undefined && Object.hasOwn(EVENT_NAMES, code) ? EVENT_NAMES[code] : null;
    }
    case "dimension": {
      const value = present(params, source.param);
      const m = value === undefined ? null : DIMENSION_RE.exec(value);
      return m === null ? null : Number(m[source.side === "width" ? 1 : 2]);
    }
    case "urlPart": {
      const value = present(params, source.param);
      const m = value === undefined ? null : URL_RE.exec(value);
      if (m === null) return null;
      const part = m[URL_PART_GROUP[source.part]] ?? null;
      const cut = source.part === "host" && part !== null ? (HOST_RE.exec(part)?.[1] ?? null) : part;
      return cut === "" ? null : cut;
    }
    case "json":
      return jsonText(params, source.base64, source.plain);
    case "requestTime": {
      const date = record.get(FIELD.date);
      const time = record.get(FIELD.time);
      if (!date || !time) return null;
      const millis = Date.parse(`${date}T${time}Z`);
      return Number.isNaN(millis) ? null : formatTimestamp(millis);
    }
    case "logField": {
      const value = record.get(source.field);
      return value === undefined || value === "" ? null : value;
    }
  }
}

/** One column's value. */
export function canonicalValue(column: CanonicalColumn, source: CanonicalSource): CanonicalValue {
  return valueOf(column.source, source);
}

/** Every column, in the map's order. */
export function canonicalEventOf(source: CanonicalSource): CanonicalEvent {
  const event: CanonicalEvent = {};
  for (const column of CANONICAL_COLUMNS) event[column.name] = valueOf(column.source, source);
  return event;
}

/**
 * The canonical event of a record, when it is one the view counts: a tracker hit the edge
 * answered with the pixel (servedPixel). Otherwise undefined.
 */
export function servedCanonicalEvent(record: AccessLogRecord): CanonicalEvent | undefined {
  if (!isTrackerHit(record) || !servedPixel(record.get(FIELD.status))) return undefined;
  return canonicalEventOfRecord(record);
}

/** A tracker hit's canonical event, served or not (a lookup shows either). */
export function canonicalEventOfRecord(record: AccessLogRecord): CanonicalEvent {
  return canonicalEventOf({ params: canonicalParams(record.get(FIELD.uriQuery) ?? ""), record });
}
