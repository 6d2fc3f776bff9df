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

/**
 * Text with this many characters that are not ASCII or more goes through Buffer; fewer (a dash
 * in a page title, an umlaut) are encoded here, where Buffer's two copies cost more than the
 * whole of a short value's encoding.
 */
const ENCODED_HERE = 8;

/** What Buffer.from(text, "utf8") holds, as Utf8Bytes; a lone surrogate is U+FFFD, as there. */
export function utf8Bytes(text: string): Utf8Bytes {
  let at = text.search(NOT_ASCII);
  if (at === -1) return text as Utf8Bytes;
  let bytes = "";
  let from = 0;
  let encoded = 0;
  for (; at < text.length; at++) {
    const c = text.charCodeAt(at);
    if (c < 0x80) continue;
    if (++encoded === ENCODED_HERE) return Buffer.from(text, "utf8").toString("latin1") as Utf8Bytes;
    bytes += text.slice(from, at);
    from = at + 1;
    if (c < 0x800) {
      bytes += String.fromCharCode(0xc0 | (c >> 6), 0x80 | (c & 63));
    } else if (c < 0xd800 || c >= 0xe000) {
      bytes += String.fromCharCode(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    } else {
      const low = text.charCodeAt(at + 1);
      if (c < 0xdc00 && low >= 0xdc00 && low < 0xe000) {
        const point = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        bytes += String.fromCharCode(
          0xf0 | (point >> 18),
          0x80 | ((point >> 12) & 63),
          0x80 | ((point >> 6) & 63),
          0x80 | (point & 63),
        );
        from = ++at + 1;
      } else {
        bytes += "\u00ef\u00bf\u00bd";
      }
    }
  }
  return (bytes + text.slice(from)) as Utf8Bytes;
}

/**
 * What JSON.stringify escapes in a string (`"`, `\`, control characters, lone surrogates), and
 * what is not ASCII: either way the value's text is JSON.stringify's, encoded.
 */
// eslint-disable-next-line no-control-regex -- the control characters are what it looks for
const NOT_PLAIN = /["\\\u0000-\u001f\u0080-\uffff]/;

/** One column of a line: how its value is read, and whether its text never needs escaping. */
export interface JsonColumn<I> {
  readonly name: string;
  readonly read: (input: I) => CanonicalValue;
  /** A column whose strings are ASCII with nothing to escape (timestamps, event names). */
  readonly plain: boolean;
}

/**
 * The writer of a line of these columns: JSON.stringify of the object with their names and the
 * values they read from one input, as UTF-8 bytes. Each key's JSON, with what comes before it
 * (`{"app_id":`, `,"platform":`) and with the constant values a column can take (`null`, `true`,
 * `false`), is joined once, here.
 */
export function jsonLineWriter<I>(columns: readonly JsonColumn<I>[]): (input: I) => Utf8Bytes {
  const names = columns.map((c) => c.name);
  if (new Set(names).size !== names.length) throw new Error("a JSON line's keys are unique");
  for (const name of names) {
    // An object would move an array index to the front: the line would not be JSON.stringify's.
    if (String(Number(name) >>> 0) === name) throw new Error(`${JSON.stringify(name)} is an array index`);
  }
  // Each text twice: after a finished value, and after a plain string whose closing quote is
  // still to come (`","platform":`). A plain string is then two pieces of the line, its column's
  // text and itself, not three: the line is a string of some hundred pieces, and copying them
  // into one when it is written is a tenth of the export.
  const texts = (after: (prefix: string) => string) =>
    names.flatMap((name, i) => {
      const prefix = utf8Bytes(`${i === 0 ? "{" : ","}${JSON.stringify(name)}:`);
      return [after(prefix), `"${after(prefix)}`];
    });
  const prefixes = texts((p) => p);
  const quoted = texts((p) => `${p}"`);
  const nulls = texts((p) => `${p}null`);
  const trues = texts((p) => `${p}true`);
  const falses = texts((p) => `${p}false`);
  const readers = columns.map((c) => c.read);
  const plain = columns.map((c) => c.plain);
  if (columns.length === 0) return () => "{}" as Utf8Bytes;
  return (input) => {
    let line = "";
    /** 1 while a plain string's closing quote is owed, which the next text starts with. */
    let open = 0;
    for (let i = 0; i < readers.length; i++) {
      const value = readers[i](input);
      const at = 2 * i + open;
      open = 0;
      if (value === null) line += nulls[at];
      else if (typeof value === "string") {
        if (plain[i] || !NOT_PLAIN.test(value)) {
          line += quoted[at];
          line += value;
          open = 1;
        } else line += prefixes[at] + utf8Bytes(JSON.stringify(value));
      } else if (typeof value === "number")
        line += Number.isFinite(value) ? prefixes[at] + String(value) : nulls[at];
      else line += value ? trues[at] : falses[at];
    }
    return (line + (open === 1 ? '"}' : "}")) as Utf8Bytes;
  };
}
