/**
 * A canonical event as its JSON line, written from the column values without building the
 * object: JSON.stringify of a 46-key object cost the export more than twice what joining the
 * keys' JSON (computed once) and each value's does. The line is JSON.stringify's text exactly,
 * held as its UTF-8 bytes (Utf8Bytes): keys in the map's order (no key is an array index, which
 * an object would put first, nor twice), strings escaped by JSON.stringify itself unless they
 * hold nothing it escapes, numbers as it prints them (null for a non-finite one).
 * test/logs/canonicalJson.spec.ts holds it to that.
 */
import type { CanonicalValue } from "./canonicalEvent";

/**
 * UTF-8 text held as a string of its bytes, one character (0-255) a byte, as Buffer's "latin1"
 * reads and writes them. A Buffer takes such a string by copying it; encoding a string to UTF-8
 * goes character by character once a single one of them is not ASCII (a page title with a dash),
 * and that cost the export a fifth of its time.
 */
export type Utf8Bytes = string & { readonly utf8Bytes: unique symbol };

const NOT_ASCII = /[\u0080-\uffff]/;

export function utf8Bytes(text: string): Utf8Bytes {
  return (NOT_ASCII.test(text) ? Buffer.from(text, "utf8").toString("latin1") : text) as Utf8Bytes;
}

/**
 * What JSON.stringify escapes in a string (`"`, `\`, control characters, lone surrogates), and
 * what is not ASCII: either way the value's text is JSON.stringify's, encoded.
 */
// eslint-disable-next-line no-control-regex -- the control characters are what it looks for
const NOT_PLAIN = /["\\\u0000-\u001f\u0080-\uffff]/;

function jsonValue(value: CanonicalValue): string {
  if (typeof value === "string")
    return NOT_PLAIN.test(value) ? utf8Bytes(JSON.stringify(value)) : `"${value}"`;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  return value === null ? "null" : value ? "true" : "false";
}

/** Each key's JSON with what comes before it: `{"app_id":`, `,"platform":`, ... */
export function jsonKeyPrefixes(names: readonly string[]): Utf8Bytes[] {
  if (new Set(names).size !== names.length) throw new Error("a JSON line's keys are unique");
  for (const name of names) {
    // An object would move an array index to the front: the line would not be JSON.stringify's.
    if (String(Number(name) >>> 0) === name) throw new Error(`${JSON.stringify(name)} is an array index`);
  }
  return names.map((name, i) => utf8Bytes(`${i === 0 ? "{" : ","}${JSON.stringify(name)}:`));
}

/**
 * JSON.stringify of the object with these keys (jsonKeyPrefixes) and the readers' values for
 * one input, as UTF-8 bytes.
 */
export function jsonLineOf<I>(
  prefixes: readonly Utf8Bytes[],
  readers: readonly ((input: I) => CanonicalValue)[],
  input: I,
): Utf8Bytes {
  if (prefixes.length === 0) return "{}" as Utf8Bytes;
  let line = "";
  for (let i = 0; i < readers.length; i++) line += prefixes[i] + jsonValue(readers[i](input));
  return (line + "}") as Utf8Bytes;
}
