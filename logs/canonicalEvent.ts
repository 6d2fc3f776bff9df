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
  ColumnSource,
  Conversion,
  CONVERSION_PATTERNS,
  EVENT_NAMES,
  URL_PART_GROUP,
  URL_PATTERN,
} from "../collector/analytics/canonicalEvent";
import { AccessLogRecord, decodeLogValue } from "./accessLog";
import { FIELD } from "./accessLogFields";
import { jsonLineWriter, Utf8Bytes } from "./canonicalJson";
import { formatTimestamp, LAST_TIMESTAMP_MILLIS, requestTimestamp } from "./canonicalTimestamp";
import { loggedTrackerQuery, servedPixel } from "./trackerEvent";
import { base64JsonText, isJson } from "./trackerPayload";

export type CanonicalValue = string | number | boolean | null;
export type CanonicalEvent = Record<string, CanonicalValue>;

/**
 * The tracker's parameters, the way the view's SQL reads them (requestDecoding.ts trackerParam):
 * the query string as the tracker sent it, split on `&` and the first `=`, the last of a name
 * winning, each value form-decoded (`+` a space, as java.net.URLDecoder). A value with a bad
 * escape (`url=%ZZ`, which no tracker sends) does not decode: it is left out, as url_decode's
 * error inside try() leaves it NULL, where URLSearchParams would keep it as it came.
 */
export function canonicalParams(trackerQuery: string): Record<string, string> {
  const params = new Map<string, string>();
  forEachPair(trackerQuery, (query, start, eq, end) => {
    const name = query.slice(start, eq);
    const decoded = formDecode(query.slice(eq + 1, end));
    if (decoded === undefined) params.delete(name);
    else params.set(name, decoded);
  });
  return Object.fromEntries(params);
}

/**
 * Each `name=value` of a query string, in order, as where its name starts, where its `=` is and
 * where it ends (the export matches names where they are, cutting out only the values it keeps);
 * a pair without `=` is none.
 */
function forEachPair(
  query: string,
  take: (query: string, start: number, eq: number, end: number) => void,
): void {
  for (let start = 0; start <= query.length;) {
    let end = query.indexOf("&", start);
    if (end === -1) end = query.length;
    const eq = query.indexOf("=", start);
    if (eq !== -1 && eq < end) take(query, start, eq, end);
    start = end + 1;
  }
}

const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

/** java.net.URLDecoder.decode(value, UTF-8), or undefined where it throws (a bad escape). */
function formDecode(value: string): string | undefined {
  if (value.indexOf("%") === -1 && value.indexOf("+") === -1) return value;
  const text = value.indexOf("+") === -1 ? value : value.replace(/\+/g, " ");
  try {
    // It throws on a bad escape too: a value it decodes has none, so the check waits for a throw.
    return decodeURIComponent(text);
  } catch {
    if (BAD_ESCAPE.test(value)) return undefined;
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

/*
 * The map compiled once into a plan: every parameter a column reads gets a slot, every column a
 * reader of slots. An event is then one pass over its query (only the mapped parameters kept,
 * only those form-decoded) and one call per column; walking the map's sources and looking names
 * up in an object for every event cost the export most of its time.
 */

/** One event's inputs: its mapped parameters' values by slot, the record, and per-event memos. */
interface EventInput {
  /** A parameter's decoded value; undefined when missing, empty (which sets no field) or undecodable. */
  readonly values: (string | undefined)[];
  /** The pattern matches that several columns share (a URL's parts, a dimension's sides). */
  readonly matches: (RegExpExecArray | null | undefined)[];
  record: AccessLogRecord;
}

type ColumnReader = (input: EventInput) => CanonicalValue;

const SLOTS = new Map<string, number>();
const MATCHES = new Map<string, number>();

function slotOf(name: string): number {
  let slot = SLOTS.get(name);
  if (slot === undefined) SLOTS.set(name, (slot = SLOTS.size));
  return slot;
}

/** The pattern's match on a parameter, once per event however many columns read it. */
function matcherOf(re: RegExp, name: string): (input: EventInput) => RegExpExecArray | null {
  const slot = slotOf(name);
  const key = `${re.source} ${name}`;
  let memo = MATCHES.get(key);
  if (memo === undefined) MATCHES.set(key, (memo = MATCHES.size));
  const at = memo;
  return (input) => {
    let m = input.matches[at];
    if (m === undefined) {
      const value = input.values[slot];
      m = input.matches[at] = value === undefined ? null : re.exec(value);
    }
    return m;
  };
}

function converterOf(conversion: Conversion): (value: string) => CanonicalValue {
  switch (conversion) {
    case "text":
      return (value) => value;
    case "integer":
      return (value) => (INTEGER_RE.test(value) ? Number(value) : null);
    case "double":
      return (value) => (DOUBLE_RE.test(value) ? Number(value) : null);
    case "epochMillis":
      return (value) => {
        if (!MILLIS_RE.test(value)) return null;
        const millis = Number(value);
        // Trino's timestamp(3) ends at year 9999 too; beyond, Date cannot print it.
        return millis <= LAST_TIMESTAMP_MILLIS ? formatTimestamp(millis) : null;
      };
    case "booleanFlag":
      return (value) => (value === "1" ? true : value === "0" ? false : null);
  }
}

/** JSON text as the tracker encoded it, or null when it is not UTF-8 or not JSON. */
function jsonText(encoded: string | undefined, plain: string | undefined): string | null {
  if (encoded !== undefined) return base64JsonText(encoded);
  return plain !== undefined && isJson(plain) ? plain : null;
}

function readerOf(source: ColumnSource): ColumnReader {
  switch (source.kind) {
    case "param": {
      const slots = source.params.map(slotOf);
      const convert = converterOf(source.conversion);
      if (slots.length === 1) {
        const [slot] = slots;
        return ({ values }) => {
          const value = values[slot];
          return value === undefined ? null : convert(value);
        };
      }
      return ({ values }) => {
        for (const slot of slots) {
          const value = values[slot];
          if (value !== undefined) return convert(value);
        }
        return null;
      };
    }
    case "eventName": {
      const slot = slotOf(source.param);
      return ({ values }) => {
        const code = values[slot];
        return code !== undefined && Object.hasOwn(EVENT_NAMES, code) ? EVENT_NAMES[code] : null;
      };
    }
    case "dimension": {
      const match = matcherOf(DIMENSION_RE, source.param);
      const group = source.side === "width" ? 1 : 2;
      return (input) => {
        const m = match(input);
        return m === null ? null : Number(m[group]);
      };
    }
    case "urlPart": {
      const match = matcherOf(URL_RE, source.param);
      const group = URL_PART_GROUP[source.part];
      const host = source.part === "host";
      return (input) => {
        const m = match(input);
        if (m === null) return null;
        const part = m[group] ?? null;
        const cut = host && part !== null ? (HOST_RE.exec(part)?.[1] ?? null) : part;
        return cut === "" ? null : cut;
      };
    }
    case "json": {
      const encoded = slotOf(source.base64);
      const plain = slotOf(source.plain);
      return ({ values }) => jsonText(values[encoded], values[plain]);
    }
    case "requestTime":
      return ({ record }) => {
        const date = record.get(FIELD.date);
        const time = record.get(FIELD.time);
        return !date || !time ? null : requestTimestamp(date, time);
      };
    case "logField": {
      const { field } = source;
      return ({ record }) => {
        const value = record.get(field);
        return value === undefined || value === "" ? null : value;
      };
    }
  }
}

const READERS: readonly ColumnReader[] = CANONICAL_COLUMNS.map((c) => readerOf(c.source));
const NAMES: readonly string[] = CANONICAL_COLUMNS.map((c) => c.name);
/**
 * The line's columns. Timestamps and event names are ASCII without a character to escape
 * (canonicalTimestamp.ts prints digits and separators, Date too; EVENT_NAMES holds words), so
 * their text goes as it is.
 */
const writeLine = jsonLineWriter(
  CANONICAL_COLUMNS.map(({ name, source }, i) => ({
    name,
    read: READERS[i],
    plain:
      source.kind === "requestTime" ||
      source.kind === "eventName" ||
      (source.kind === "param" && source.conversion === "epochMillis"),
  })),
);

/**
 * The mapped names by their first character (ASCII), each with its slot: a query's names are
 * compared where they stand. Cutting each of some 30 names out of every query to look it up cost
 * the export a thirtieth.
 */
const NAMES_BY_FIRST: { names: string[]; slots: number[] }[] = Array.from({ length: 128 }, () => ({
  names: [],
  slots: [],
}));
for (const [name, slot] of SLOTS) {
  const first = name.charCodeAt(0);
  if (first >= 128) throw new Error(`a mapped parameter's name is ASCII: ${JSON.stringify(name)}`);
  NAMES_BY_FIRST[first].names.push(name);
  NAMES_BY_FIRST[first].slots.push(slot);
}

/** The slot of the name query holds from start to eq, without cutting it out; undefined if unmapped. */
function slotAt(query: string, start: number, eq: number): number | undefined {
  const first = query.charCodeAt(start);
  if (!(first < 128)) return undefined;
  const { names, slots } = NAMES_BY_FIRST[first];
  for (let i = 0; i < names.length; i++) {
    if (names[i].length === eq - start && query.startsWith(names[i], start)) return slots[i];
  }
  return undefined;
}

/** The one input, refilled for each event: nothing is allocated per event but the values. */
const INPUT: EventInput = {
  values: new Array<string | undefined>(SLOTS.size).fill(undefined),
  matches: new Array<RegExpExecArray | null | undefined>(MATCHES.size).fill(undefined),
  record: undefined as unknown as AccessLogRecord,
};

/** A name or value cut out of a percent-encoded query, the file's encoding undone. */
function undoLogEncoding(logged: string): string {
  return logged.indexOf("%") === -1 ? logged : decodeLogValue(logged);
}

/**
 * Fills INPUT from a record: one pass over its query, decoding only the mapped parameters. The
 * view undoes the file's encoding on the whole query, then splits it. Undoing it on each mapped
 * name and value after splitting gives the same text and decodes a fraction of it: an escape
 * that decodes to a separator (`%26`, `%3D`) is none of CloudFront's, so a line holding one is
 * read as received (logEncoding.ts; the spec pins it), where there is nothing to undo. A query
 * that is not ASCII is decoded whole: there, a bad escape anywhere makes decodeLogValue take the
 * bytes of all of it, literal characters included.
 */
function inputOf(record: AccessLogRecord, loggedQuery: string): EventInput {
  const { values, matches } = INPUT;
  values.fill(undefined);
  matches.fill(undefined);
  INPUT.record = record;
  if (record.asReceived) {
    // As the tracker sent it ("-", the one value decode changes, has no pair).
    forEachPair(loggedQuery, takeDecoded);
  } else if (Buffer.byteLength(loggedQuery) !== loggedQuery.length) {
    forEachPair(record.decode(loggedQuery), takeDecoded);
  } else {
    nextPercent = loggedQuery.indexOf("%");
    forEachPair(loggedQuery, takeLogged);
  }
  return INPUT;
}

/** A pair of the query as the tracker sent it: the name as it is, the value form-decoded. */
function takeDecoded(query: string, start: number, eq: number, end: number): void {
  const slot = slotAt(query, start, eq);
  if (slot === undefined) return;
  const decoded = formDecode(query.slice(eq + 1, end));
  INPUT.values[slot] = decoded === "" ? undefined : decoded;
}

/**
 * The first `%` of the query takeLogged reads at or after the pair it is at (-1: none left): one
 * scan of the query finds them all, where a search from each pair would go to the next escape.
 */
let nextPercent = -1;

/** A pair still in the file's percent-encoding. */
function takeLogged(query: string, start: number, eq: number, end: number): void {
  if (nextPercent !== -1 && nextPercent < start) nextPercent = query.indexOf("%", start);
  const percent = nextPercent;
  const slot =
    percent !== -1 && percent < eq
      ? SLOTS.get(decodeLogValue(query.slice(start, eq)))
      : slotAt(query, start, eq);
  if (slot === undefined) return;
  const value = query.slice(eq + 1, end);
  // Most values hold neither: nothing to undo, and nothing for formDecode to do.
  const plain = (percent === -1 || percent > end) && value.indexOf("+") === -1;
  const decoded = plain ? value : formDecode(undoLogEncoding(value));
  INPUT.values[slot] = decoded === "" ? undefined : decoded;
}

/** Every column, in the map's order. */
function eventOf(input: EventInput): CanonicalEvent {
  const event: CanonicalEvent = {};
  for (let i = 0; i < READERS.length; i++) event[NAMES[i]] = READERS[i](input);
  return event;
}

/** The query of a tracker hit the edge answered with the pixel (servedPixel), else undefined. */
function servedQuery(record: AccessLogRecord): string | undefined {
  const query = loggedTrackerQuery(record);
  return query === undefined || !servedPixel(record.get(FIELD.status)) ? undefined : query;
}

/**
 * The canonical event of a record, when it is one the view counts: a tracker hit the edge
 * answered with the pixel (servedPixel). Otherwise undefined.
 */
export function servedCanonicalEvent(record: AccessLogRecord): CanonicalEvent | undefined {
  const query = servedQuery(record);
  return query === undefined ? undefined : eventOf(inputOf(record, query));
}

/**
 * The same event as its JSON line (no newline), JSON.stringify(servedCanonicalEvent(record)) as
 * UTF-8 bytes, written without the object (canonicalJson.ts): what `--format jsonl` writes.
 */
export function servedCanonicalLine(record: AccessLogRecord): Utf8Bytes | undefined {
  const query = servedQuery(record);
  return query === undefined ? undefined : writeLine(inputOf(record, query));
}

/** A tracker hit's canonical event, served or not (a lookup shows either). */
export function canonicalEventOfRecord(record: AccessLogRecord): CanonicalEvent {
  return eventOf(inputOf(record, record.getLogged(FIELD.uriQuery) ?? ""));
}
