/**
 * How a log file holds the request's query string, and how to tell from the file itself: the one
 * rule the reader (logs/) and the Athena SQL (collector/analytics/requestDecoding.ts) share.
 *
 * Legacy W3C files percent-encode the request once more when they log it: CloudFront escapes a
 * small, documented set of bytes (controls, space, bytes past ASCII, and `"`, `#`, `%`, `<`, `>`,
 * `[`, `\`, `]`, `^`, `` ` ``, `{`, `|`, `}`), and `%` itself is among them, so a tracker's `%3A`
 * is logged as `%253A`. Whether standard logging v2 JSON files do the same, or hold the query as
 * received, AWS does not document. It is a property of the delivery, not of a line, so it is
 * decided per file, from the lines' query strings:
 *
 * - Trackers build the query with encodeURIComponent: a tracker's query carries escapes of
 *   characters CloudFront never escapes (`%3A`, `%2F`, `%26`, `%3D` in every page URL). A `%` that
 *   is not followed by one of CloudFront's own escapes (a `%3A`, or a bare `%` of a hand-made
 *   `url=%ZZ`), or a raw byte CloudFront would have escaped, cannot come out of CloudFront's
 *   encoding: that line holds its query **as received**.
 * - Otherwise, a `%25` followed by two hex digits (`%253A`, `%2520`) is a tracker's escape with
 *   its `%` escaped again: that line looks **percent-encoded**. (A query as received has `%25XX`
 *   only where a tracker value itself held `%XX`, a page URL with escapes, and such a URL brings
 *   its `%3A` along, which decides the other way first.)
 * - A line with neither sign reads the same both ways: its escapes are all CloudFront's and none
 *   is a `%25XX`, so decoding once more changes no separator and no tracker escape.
 *
 * A file whose lines all lean one way is read that way; a file with no telling line is
 * `indistinct` (every reading agrees); a file with lines of both kinds fits neither: it is
 * reported, and its lines are kept as logged.
 */

/** How a file holds its requests, as found from its lines. */
export type LogEncoding = "percent-encoded" | "as received" | "indistinct" | "neither";

export const LOG_ENCODINGS: readonly LogEncoding[] = [
  "percent-encoded",
  "as received",
  "indistinct",
  "neither",
];

/** What one line's query string says about its file's encoding. */
export type LineSign = "as received" | "percent-encoded" | undefined;

/** The printable ASCII characters CloudFront percent-encodes when it logs a value. */
export const CLOUDFRONT_ESCAPED_CHARACTERS = '"#%<>[\\]^`{|}';

/** Whether CloudFront's log encoding escapes this byte (legacy W3C; accessLogFormat.ts writes it). */
export function cloudFrontEscapes(byte: number): boolean {
  return byte <= 0x20 || byte >= 0x7f || CLOUDFRONT_ESCAPED_CHARACTERS.includes(String.fromCharCode(byte));
}

const HEX = "0123456789abcdef";

/** Hex digits as a compact character class body: `0-9a-f`, `b-e`, `0235`. */
function digitClass(digits: readonly string[]): string {
  const codes = digits.map((d) => HEX.indexOf(d));
  let out = "";
  for (let i = 0; i < codes.length;) {
    let j = i;
    while (j + 1 < codes.length && codes[j + 1] === codes[j] + 1 && codes[j + 1] !== 10) j++;
    out += j - i >= 2 ? `${HEX[codes[i]]}-${HEX[codes[j]]}` : HEX.slice(codes[i], codes[j] + 1);
    i = j + 1;
  }
  return digits.length === 1 ? out : `[${out}]`;
}

/**
 * The two hex digits of every escape CloudFront itself writes, as a regular expression fragment
 * for a case-insensitive match (`[0189a-f][0-9a-f]|2[0235]|...`): first digits that allow the
 * same second digits share one alternative.
 */
function cloudFrontEscapeDigits(): string {
  const byFollowers = new Map<string, string[]>();
  for (const first of HEX) {
    const seconds = [...HEX].filter((second) => cloudFrontEscapes(parseInt(first + second, 16)));
    if (seconds.length === 0) continue;
    const key = digitClass(seconds);
    byFollowers.set(key, [...(byFollowers.get(key) ?? []), first]);
  }
  return [...byFollowers].map(([seconds, firsts]) => `${digitClass(firsts)}${seconds}`).join("|");
}

/** The raw characters CloudFront would have escaped, `%` excepted (it starts every escape). */
function rawEscapedClass(): string {
  const printable = [...CLOUDFRONT_ESCAPED_CHARACTERS]
    .filter((c) => c !== "%")
    .map((c) => (/[\\\]^[]/.test(c) ? `\\${c}` : c))
    .join("");
  return `[\\x00-\\x20${printable}\\x7F-\\x{FFFF}]`;
}

/**
 * A line whose query matches this holds it as received: a `%` not starting one of CloudFront's
 * escapes, or a raw character CloudFront escapes. Written once for both engines: Java's regex
 * syntax as Trino's regexp_like takes it; sameRegExp below turns it into JavaScript's.
 */
export const AS_RECEIVED_PATTERN = `(?i)%(?!${cloudFrontEscapeDigits()})|${rawEscapedClass()}`;

/** A line whose query matches this (and not AS_RECEIVED_PATTERN) looks percent-encoded. */
export const PERCENT_ENCODED_PATTERN = "%25[0-9A-Fa-f]{2}";

/**
 * The same pattern for JavaScript: Java's `\x{FFFF}` is its `\uFFFF`, and a leading `(?i)` its
 * `i` flag; the rest of the syntax used here is common to both.
 */
export function sameRegExp(pattern: string): RegExp {
  const insensitive = pattern.startsWith("(?i)");
  const body = (insensitive ? pattern.slice(4) : pattern).replace(/\\x\{([0-9A-Fa-f]{4})\}/g, "\\u$1");
  return new RegExp(body, insensitive ? "i" : "");
}

const AS_RECEIVED = sameRegExp(AS_RECEIVED_PATTERN);
const PERCENT_ENCODED = sameRegExp(PERCENT_ENCODED_PATTERN);

/** What one logged query string (as the file holds it) says about the file. */
export function lineSign(loggedQuery: string): LineSign {
  if (AS_RECEIVED.test(loggedQuery)) return "as received";
  if (PERCENT_ENCODED.test(loggedQuery)) return "percent-encoded";
  return undefined;
}

/** The file's encoding from how many of its lines lean each way. */
export function encodingOf(asReceivedLines: number, percentEncodedLines: number): LogEncoding {
  if (asReceivedLines > 0 && percentEncodedLines > 0) return "neither";
  if (asReceivedLines > 0) return "as received";
  if (percentEncodedLines > 0) return "percent-encoded";
  return "indistinct";
}
