/**
 * The JSON a Snowplow tracker carries in a GET's query string: the self-describing event
 * (`ue_px` base64url, or `ue_pr` plain) and the attached contexts (`cx` base64url, or `co`
 * plain), each wrapped in a self-describing JSON of Snowplow's own. Decoding never throws: what
 * does not decode comes back as a problem with the reason and the value as it arrived.
 */
import { isUtf8 } from "buffer";

/** A self-describing JSON: an Iglu schema URI and the data it describes. */
export interface SelfDescribingJson {
  readonly schema: string;
  readonly data: unknown;
}

export interface PayloadProblem {
  /** The query parameter the value came in (`ue_px`, `cx`, ...). */
  readonly param: string;
  readonly reason: string;
  /** The parameter's value as the tracker sent it, kept whole. */
  readonly raw: string;
}

/** The wrappers tracker-core puts around the event and the contexts (major version 1). */
export const UNSTRUCT_EVENT_SCHEMA = "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0";
export const CONTEXTS_SCHEMA = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0";
const UNSTRUCT_EVENT_MODEL = UNSTRUCT_EVENT_SCHEMA.slice(0, -"-0-0".length);
const CONTEXTS_MODEL = CONTEXTS_SCHEMA.slice(0, -"-0-0".length);

/** Which parameter carries which JSON, base64url-encoded or plain. */
const SELF_DESCRIBING_EVENT_PARAMS = { encoded: "ue_px", plain: "ue_pr" } as const;
const CONTEXTS_PARAMS = { encoded: "cx", plain: "co" } as const;

type Decoded<T> = { readonly value: T } | { readonly problem: PayloadProblem };

/**
 * The self-describing event's inner JSON (the tracker's wrapper taken off), or undefined when the
 * event carries neither parameter.
 */
export function decodeSelfDescribingEvent(
  params: Readonly<Record<string, string | undefined>>,
): Decoded<SelfDescribingJson> | undefined {
  const json = decodeJsonParam(params, SELF_DESCRIBING_EVENT_PARAMS);
  if (json === undefined || "problem" in json) return json;
  const { param, raw } = json.value;
  const wrapper = selfDescribingShape(json.value.json, UNSTRUCT_EVENT_MODEL, "");
  if (typeof wrapper === "string") return { problem: { param, reason: wrapper, raw } };
  const inner = selfDescribingShape(wrapper.data, undefined, "data");
  if (typeof inner === "string") return { problem: { param, reason: inner, raw } };
  return { value: inner };
}

/** The attached contexts, each a self-describing JSON, or undefined when there are none. */
export function decodeContexts(
  params: Readonly<Record<string, string | undefined>>,
): Decoded<SelfDescribingJson[]> | undefined {
  const json = decodeJsonParam(params, CONTEXTS_PARAMS);
  if (json === undefined || "problem" in json) return json;
  const { param, raw } = json.value;
  const wrapper = selfDescribingShape(json.value.json, CONTEXTS_MODEL, "");
  if (typeof wrapper === "string") return { problem: { param, reason: wrapper, raw } };
  if (!Array.isArray(wrapper.data)) {
    return { problem: { param, reason: "wrong shape: data is not an array", raw } };
  }
  const contexts: SelfDescribingJson[] = [];
  for (const [i, entity] of wrapper.data.entries()) {
    const context = selfDescribingShape(entity, undefined, `data[${i}]`);
    if (typeof context === "string") return { problem: { param, reason: context, raw } };
    contexts.push(context);
  }
  return { value: contexts };
}

/**
 * The base64url one, when both are there: it is what the tracker sends by default, and what
 * Snowplow's enrichment reads first.
 */
function decodeJsonParam(
  params: Readonly<Record<string, string | undefined>>,
  names: { readonly encoded: string; readonly plain: string },
): Decoded<{ param: string; raw: string; json: unknown }> | undefined {
  const encoded = params[names.encoded];
  if (encoded !== undefined) {
    const text = decodeBase64Text(encoded);
    if (text.problem !== undefined) {
      remember(encoded, null);
      return { problem: { param: names.encoded, reason: text.problem, raw: encoded } };
    }
    const parsed = parseJson(names.encoded, encoded, text.text);
    remember(encoded, "value" in parsed ? text.text : null);
    return parsed;
  }
  const plain = params[names.plain];
  return plain === undefined ? undefined : parseJson(names.plain, plain, plain);
}

/*
 * The base64 payload decodeJsonParam decoded last, and its JSON text (null when it is not UTF-8
 * text or not JSON). The export reads each self-describing event's ue_px twice, one right after
 * the other: for the summary's count by schema, then for the line's unstruct_event
 * (base64JsonText), and decoding and parsing it again cost the export a thirtieth.
 */
let lastEncoded: string | undefined;
let lastText: string | null = null;

function remember(encoded: string, text: string | null): void {
  lastEncoded = encoded;
  lastText = text;
}

/** The JSON text a base64 value carries, or null when it is not UTF-8 text or not JSON. */
export function base64JsonText(encoded: string): string | null {
  if (encoded === lastEncoded) return lastText;
  const decoded = decodeBase64Text(encoded);
  return decoded.problem === undefined && isJson(decoded.text) ? decoded.text : null;
}

/** Whether text is JSON, the parsed value thrown away. */
export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function parseJson(
  param: string,
  raw: string,
  text: string,
): Decoded<{ param: string; raw: string; json: unknown }> {
  try {
    return { value: { param, raw, json: JSON.parse(text) as unknown } };
  } catch (error) {
    return { problem: { param, reason: `not JSON: ${(error as Error).message}`, raw } };
  }
}

// Both alphabets: tracker-core sends base64url (`-`, `_`), other trackers and hand-made
// requests send standard base64 (`+`, `/`). Padding is optional.
const NOT_BASE64 = /[^A-Za-z0-9+/_-]/;

/**
 * Strict where Buffer's decoder is lenient: Buffer skips characters outside the alphabet and
 * stops at the first `=`, which would turn a damaged value into silently wrong JSON.
 */
export function decodeBase64Text(raw: string): { text: string; problem?: undefined } | { problem: string } {
  // What tracker-core sends (base64url, no padding) is valid exactly when it survives a round
  // trip; that check costs a third of a regular expression over the value.
  let bytes = Buffer.from(raw, "base64url");
  if (bytes.toString("base64url") !== raw) {
    const checked = checkBase64(raw);
    if (typeof checked !== "string") return checked;
    bytes = Buffer.from(checked, "base64");
  }
  if (!isUtf8(bytes)) return { problem: "not UTF-8 text once decoded from base64" };
  return { text: bytes.toString("utf8") };
}

/** The slow path: the other alphabet, padding, or something wrong (then the reason). */
function checkBase64(raw: string): string | { problem: string } {
  // A `+` the sender did not percent-encode reaches us as a space (form decoding): put it back.
  const value = raw.indexOf(" ") === -1 ? raw : raw.replace(/ /g, "+");
  const body = value.replace(/=+$/, "");
  const bad = body.search(NOT_BASE64);
  if (bad !== -1) {
    return { problem: `not base64: unexpected ${JSON.stringify(body[bad])} at offset ${bad}` };
  }
  if (body.length % 4 === 1) {
    return { problem: `not base64: ${body.length} characters cannot be whole bytes (cut short?)` };
  }
  if (body.length !== value.length && value.length % 4 !== 0) {
    return { problem: `not base64: wrong padding (${value.length - body.length} "=")` };
  }
  return body;
}

/**
 * Checks one level of `{schema, data}`. Returns the reason as a string when it does not fit;
 * `path` names where in the JSON, for that reason.
 */
function selfDescribingShape(
  json: unknown,
  expectedModel: string | undefined,
  path: string,
): SelfDescribingJson | string {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return `wrong shape: ${path === "" ? "the JSON" : path} is not an object with schema and data`;
  }
  const { schema, data } = json as Record<string, unknown>;
  const where = (): string => (path === "" ? "" : `${path}.`);
  if (typeof schema !== "string") return `wrong shape: ${where()}schema is not a string`;
  if (data === undefined && !("data" in json)) return `wrong shape: ${where()}data is missing`;
  if (expectedModel !== undefined && !sameModel(schema, expectedModel)) {
    const expected = `${expectedModel}-0-0`;
    return `wrong shape: ${where()}schema is ${JSON.stringify(schema)}, expected ${JSON.stringify(expected)}`;
  }
  if (!schema.startsWith("iglu:")) {
    return `wrong shape: ${where()}schema ${JSON.stringify(schema)} is not an Iglu URI (iglu:...)`;
  }
  return { schema, data };
}

/** Same vendor, name, format and major version: `.../jsonschema/1` accepts `1-0-0` and `1-0-1`. */
function sameModel(schema: string, model: string): boolean {
  return schema.startsWith(model) && schema.charCodeAt(model.length) === 45; /* - */
}

/**
 * Encodes JSON the way tracker-core does for GET (its `base64urlencode`: UTF-8, the URL-safe
 * alphabet, padding removed). For tests, the bench and hand-made probes.
 */
export function encodeBase64UrlJson(json: unknown): string {
  return Buffer.from(JSON.stringify(json), "utf8").toString("base64url");
}

/** The `ue_px` parameter of a self-describing event, wrapped as the tracker wraps it. */
export function selfDescribingEventParam(event: SelfDescribingJson): { ue_px: string } {
  return { ue_px: encodeBase64UrlJson({ schema: UNSTRUCT_EVENT_SCHEMA, data: event }) };
}

/** The `cx` parameter carrying contexts, wrapped as the tracker wraps them. */
export function contextsParam(contexts: readonly SelfDescribingJson[]): { cx: string } {
  return { cx: encodeBase64UrlJson({ schema: CONTEXTS_SCHEMA, data: contexts }) };
}
