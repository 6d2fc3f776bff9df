/**
 * A tracker event as it appears in the access log: a GET of the pixel whose query string holds
 * the Snowplow tracker protocol parameters (e=pv, eid=..., aid=...).
 */
import { PIXEL_PATH } from "../collector/edge/trackerConfig";
import { AccessLogRecord, decodeLogValue } from "./accessLog";
import { FIELD } from "./accessLogFields";
import { NO_EVENT_TYPE, eventTypeName } from "./trackerEventTypes";
import {
  decodeContexts,
  decodeSelfDescribingEvent,
  PayloadProblem,
  SelfDescribingJson,
} from "./trackerPayload";

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
  return loggedTrackerQuery(record) !== undefined;
}

/**
 * A tracker hit's query string as logged (still percent-encoded), or undefined when the record
 * is not a tracker hit: not a GET (a CORS preflight, a HEAD), another path, or no query string.
 */
export function loggedTrackerQuery(record: AccessLogRecord): string | undefined {
  if (record.get(FIELD.method) !== "GET" || record.get(FIELD.uriStem) !== PIXEL_PATH) return undefined;
  const query = record.getLogged(FIELD.uriQuery);
  return query === undefined || query === "-" || query === "" ? undefined : query;
}

/**
 * Whether the edge answered a tracker hit with the pixel (2xx, or 304). A redirect to HTTPS, a 403
 * of an `https-only` edge or a 5xx is logged as well, but the tracker sends that event again (to
 * the redirect's target, or as a retry), so counting such a line as an event counts it twice.
 */
export function servedPixel(status: string | undefined): boolean {
  // A file without the field cannot tell: count the hit rather than lose the event.
  return status === undefined || /^2\d\d$/.test(status) || status === "304";
}

/**
 * Parses a query string as the tracker sent it: what the record's `get` gives, the file's own
 * encoding undone (in a percent-encoded file a tracker's `%20` is logged as `%2520`, and decoding
 * it once gives back the `%20`; a file as received holds the `%20`). URLSearchParams then undoes
 * the tracker's own encoding.
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

/**
 * One tracker parameter, as decodeTrackerQuery would give it, cut out of a query string as
 * logged (loggedTrackerQuery) and only then decoded (`decode`: the record's, for its file's
 * encoding): the summary needs `e` of every event, and decoding all of a 500-byte query for it
 * costs three times as much. Cutting first gives the same value either way: a query held as
 * received has only the tracker's separators, and CloudFront's encoding on top never escapes
 * `&` or `=` (a tracker's `%26` is logged as `%2526`).
 */
export function loggedTrackerParam(
  loggedQuery: string,
  name: string,
  decode: (logged: string) => string = decodeLogValue,
): string | undefined {
  const value = findParam(loggedQuery, name);
  return value === undefined ? undefined : formDecode(decode(value));
}

/**
 * The still-encoded value of `name=` (or a bare `name`) in a query string; the last one wins, as
 * in URLSearchParams. Searched forwards: lastIndexOf compares character by character back from
 * the end, and `e` is at the start of a 1 KB query.
 */
function findParam(query: string, name: string): string | undefined {
  // Whether `name` at `at` is a whole parameter name: followed by the end, `&` (38) or `=` (61).
  const startsParam = (at: number) => {
    const next = query.charCodeAt(at + name.length);
    return at + name.length === query.length || next === 38 || next === 61;
  };
  let last = query.startsWith(name) && startsParam(0) ? 0 : -1;
  const ampName = `&${name}`;
  for (let amp = query.indexOf(ampName); amp !== -1; amp = query.indexOf(ampName, amp + 1)) {
    if (startsParam(amp + 1)) last = amp + 1;
  }
  if (last === -1) return undefined;
  const after = last + name.length;
  if (after === query.length || query.charCodeAt(after) === 38 /* & */) return "";
  const end = query.indexOf("&", after);
  return query.slice(after + 1, end === -1 ? query.length : end);
}

/** What URLSearchParams makes of one value: `+` is a space, bad escapes stay as they are. */
function formDecode(value: string): string {
  if (value.indexOf("%") === -1 && value.indexOf("+") === -1) return value;
  return new URLSearchParams(`v=${value}`).get("v") ?? "";
}

/** The event type code (`pv`, `ue`, ...), or NO_EVENT_TYPE when `e` is missing or empty. */
export function eventTypeCode(params: Readonly<Record<string, string | undefined>>): string {
  return params.e || NO_EVENT_TYPE;
}

/** An event whose tracker payload is decoded: what `npm run logs --event-id` shows. */
export interface DecodedTrackerEvent extends TrackerEvent {
  readonly type: { readonly code: string; readonly name: string };
  /** `url`, `page` and `refr`, when the event has any of them (the browser tracker sends them always). */
  readonly page?: { readonly url?: string; readonly title?: string; readonly referrer?: string };
  /** `se_ca`, `se_ac`, `se_la`, `se_pr`, `se_va` of a structured event. */
  readonly structured?: {
    readonly category?: string;
    readonly action?: string;
    readonly label?: string;
    readonly property?: string;
    readonly value?: string;
  };
  /** The event a self-describing event carries, its wrapper taken off. */
  readonly selfDescribing?: SelfDescribingJson;
  readonly contexts: readonly SelfDescribingJson[];
  /** Payloads that did not decode; their raw values stay in `params` too. */
  readonly problems: readonly PayloadProblem[];
}

/**
 * Decodes an event's JSON payloads and names its parts. Done only for the events a lookup
 * shows: base64 and JSON on every line would cost the summary most of its speed.
 */
export function decodeTrackerEvent(event: TrackerEvent): DecodedTrackerEvent {
  const { params } = event;
  const code = eventTypeCode(params);
  const problems: PayloadProblem[] = [];
  let selfDescribing: SelfDescribingJson | undefined;
  if (code === "ue" || params.ue_px !== undefined || params.ue_pr !== undefined) {
    const decoded = selfDescribingEventOf(params);
    if ("problem" in decoded) problems.push(decoded.problem);
    else selfDescribing = decoded.value;
  }
  let contexts: SelfDescribingJson[] = [];
  const decodedContexts = decodeContexts(params);
  if (decodedContexts !== undefined) {
    if ("problem" in decodedContexts) problems.push(decodedContexts.problem);
    else contexts = decodedContexts.value;
  }
  return {
    ...event,
    type: { code, name: eventTypeName(code) },
    page: pick(params, { url: "url", title: "page", referrer: "refr" }),
    structured:
      code === "se"
        ? pick(params, {
            category: "se_ca",
            action: "se_ac",
            label: "se_la",
            property: "se_pr",
            value: "se_va",
          })
        : undefined,
    selfDescribing,
    contexts,
    problems,
  };
}

/** The self-describing event of an `e=ue` event; its absence is a problem too. */
export function selfDescribingEventOf(
  params: Readonly<Record<string, string | undefined>>,
): { value: SelfDescribingJson } | { problem: PayloadProblem } {
  return (
    decodeSelfDescribingEvent(params) ?? {
      problem: { param: "ue_px", reason: "a self-describing event without ue_px or ue_pr", raw: "" },
    }
  );
}

function pick<K extends string>(
  params: Readonly<Record<string, string>>,
  names: Readonly<Record<K, string>>,
): Partial<Record<K, string>> | undefined {
  const picked: Partial<Record<K, string>> = {};
  let any = false;
  for (const key of Object.keys(names) as K[]) {
    const value = params[names[key]];
    if (value !== undefined) {
      picked[key] = value;
      any = true;
    }
  }
  return any ? picked : undefined;
}

/** Builds a query string the way the JavaScript tracker does (encodeURIComponent, `%20` for space). */
export function encodeTrackerQuery(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join("&");
}
