// Reading resource properties without tripping over preview-time unknowns.
//
// @pulumi/policy wraps every `props` object in a Proxy whose `get` trap throws UnknownValueError
// when a property holds one of the engine's unknown sentinels. The server turns that error into an
// *advisory* "can't run during preview" note, which silently downgrades a mandatory policy at the
// very moment (preview) it is meant to stop a bad change. So the pack never reads props through the
// proxy: `plain` copies them through property descriptors (which the proxy does not trap) and turns
// every sentinel into the UNKNOWN symbol, which policies then handle on purpose.

/** A value the engine could not know yet (preview), as opposed to one that is absent. */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;

// The engine's wire sentinels for unknown values, one per type (pulumi/sdk runtime rpc).
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string (also the generic "computed" value)
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

export const UNKNOWN_STRING_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Plain = Unknown | null | boolean | number | string | Plain[] | { [key: string]: Plain };
export type PlainObject = { [key: string]: Plain };

function ownValue(source: object, key: string): unknown {
  return Object.getOwnPropertyDescriptor(source, key)?.value;
}

/** A deep, proxy-free copy of a props bag, with unknowns as UNKNOWN and undefined members dropped. */
export function plain(value: unknown): Plain {
  if (value === undefined || value === null) {
    return null;
  }
  if (typeof value === "string") {
    return UNKNOWN_SENTINELS.has(value) ? UNKNOWN : value;
  }
  if (typeof value === "boolean" || typeof value === "number") {
    return value;
  }
  if (Array.isArray(value)) {
    const out: Plain[] = [];
    for (let i = 0; i < value.length; i++) {
      out.push(plain(ownValue(value, String(i))));
    }
    return out;
  }
  if (typeof value === "object") {
    const out: PlainObject = {};
    for (const key of Object.keys(value)) {
      const v = ownValue(value, key);
      if (v !== undefined) {
        out[key] = plain(v);
      }
    }
    return out;
  }
  return null;
}

/** The props bag of a resource as a plain object (an unreadable bag reads as empty). */
export function plainObject(value: unknown): PlainObject {
  const p = plain(value);
  return isObject(p) ? p : {};
}

export function isUnknown(v: Plain | undefined): v is Unknown {
  return v === UNKNOWN;
}

export function isObject(v: Plain | undefined): v is PlainObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A known string, or undefined for absent, unknown or another type. */
export function str(v: Plain | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function num(v: Plain | undefined): number | undefined {
  return typeof v === "number" ? v : undefined;
}

export function obj(v: Plain | undefined): PlainObject | undefined {
  return isObject(v) ? v : undefined;
}

/** A known array's elements; absent, unknown or non-array reads as empty. */
export function arr(v: Plain | undefined): Plain[] {
  return Array.isArray(v) ? v : [];
}

/** A known, non-empty value: present, not unknown, not an empty string/array/object. */
export function isSet(v: Plain | undefined): boolean {
  if (v === undefined || v === null || v === UNKNOWN || v === "") {
    return false;
  }
  if (Array.isArray(v)) {
    return v.length > 0;
  }
  if (isObject(v)) {
    return Object.keys(v).length > 0;
  }
  return true;
}

/** Parses a JSON document held as a string (bucket policies); UNKNOWN when not yet known. */
export function jsonDocument(v: Plain | undefined): PlainObject | Unknown | undefined {
  if (isUnknown(v)) {
    return UNKNOWN;
  }
  if (isObject(v)) {
    return v;
  }
  if (typeof v !== "string") {
    return undefined;
  }
  try {
    return plainObject(JSON.parse(v));
  } catch {
    return undefined;
  }
}

/** A value as a message shows it. */
export function show(v: Plain | undefined): string {
  if (v === UNKNOWN) {
    return "unknown at preview";
  }
  if (v === undefined || v === null) {
    return "unset";
  }
  return typeof v === "string" ? `"${v}"` : JSON.stringify(v);
}
