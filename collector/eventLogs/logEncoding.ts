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
 *   does not start one of CloudFront's own escapes (a `%3A`, or the bare `%` of a hand-made
 *   `url=%ZZ`) cannot come out of CloudFront's encoding, which escapes `%` itself: that line holds
 *   its query **as received**.
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

/**
 * A line whose query matches this holds it as received: a `%` that does not start one of
 * CloudFront's own escapes. Written once for both engines: Java's regex syntax as Trino's
 * regexp_like takes it; sameRegExp below turns it into JavaScript's.
 */
export const AS_RECEIVED_PATTERN = `(?i)%(?!${cloudFrontEscapeDigits()})`;

/** A line whose query matches this (and not AS_RECEIVED_PATTERN) looks percent-encoded. */
export const PERCENT_ENCODED_PATTERN = "%25[0-9A-Fa-f]{2}";

/**
 * The same pattern for JavaScript: a leading `(?i)` is its `i` flag; the rest of the syntax used
 * here is common to Java's and JavaScript's regular expressions.
 */
export function sameRegExp(pattern: string): RegExp {
  const insensitive = pattern.startsWith("(?i)");
  return new RegExp(insensitive ? pattern.slice(4) : pattern, insensitive ? "i" : "");
}

/** For each byte, whether `%` and its two hex digits are one of CloudFront's own escapes. */
const OWN_ESCAPE = Uint8Array.from({ length: 256 }, (_, byte) => (cloudFrontEscapes(byte) ? 1 : 0));

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/**
 * What one logged query string (as the file holds it) says about the file: AS_RECEIVED_PATTERN,
 * then PERCENT_ENCODED_PATTERN, as one scan of its `%` signs (the reader runs it on every line;
 * test/collector/eventLogs/logEncoding.spec.ts holds it to the patterns).
 */
export function lineSign(loggedQuery: string): LineSign {
  let encoded = false;
  for (let at = loggedQuery.indexOf("%"); at !== -1; at = loggedQuery.indexOf("%", at + 1)) {
    const high = hexValue(loggedQuery.charCodeAt(at + 1));
    const low = hexValue(loggedQuery.charCodeAt(at + 2));
    if (high < 0 || low < 0 || OWN_ESCAPE[high * 16 + low] === 0) return "as received";
    if (!encoded && high === 2 && low === 5) {
      encoded =
        hexValue(loggedQuery.charCodeAt(at + 3)) >= 0 && hexValue(loggedQuery.charCodeAt(at + 4)) >= 0;
    }
  }
  return encoded ? "percent-encoded" : undefined;
}

/** The file's encoding from how many of its lines lean each way. */
export function encodingOf(asReceivedLines: number, percentEncodedLines: number): LogEncoding {
  if (asReceivedLines > 0 && percentEncodedLines > 0) return "neither";
  if (asReceivedLines > 0) return "as received";
  if (percentEncodedLines > 0) return "percent-encoded";
  return "indistinct";
}
