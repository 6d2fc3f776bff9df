/**
 * Writes access-log files the way CloudFront does, for tests and the bench: the inverse of the
 * reader, so both sides of the format are pinned down in one place.
 */
import { CLOUDFRONT_FIELDS } from "./accessLogFields";

// Characters CloudFront percent-encodes in a value: controls, space, non-ASCII bytes and a few
// delimiters. `%` itself is among them, which is why a tracker's `%20` is logged as `%2520`.
const ENCODED = new Set([...'"#%<>[\\]^`{|}'].map((c) => c.charCodeAt(0)));

export function encodeLogValue(value: string): string {
  if (value === "") return "-";
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    if (byte <= 0x20 || byte >= 0x7f || ENCODED.has(byte)) {
      out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    } else {
      out += String.fromCharCode(byte);
    }
  }
  return out;
}

/** One data line: values in the order of `fields`, missing ones written as `-`. */
export function formatLogLine(fields: readonly string[], values: Readonly<Record<string, string>>): string {
  return fields.map((name) => encodeLogValue(values[name] ?? "")).join("\t");
}

export function formatLogHeader(fields: readonly string[] = CLOUDFRONT_FIELDS): string {
  return `#Version: 1.0\n#Fields: ${fields.join(" ")}\n`;
}

/** A whole file's text: header, then one line per entry. */
export function formatAccessLog(
  rows: readonly Readonly<Record<string, string>>[],
  fields: readonly string[] = CLOUDFRONT_FIELDS,
): string {
  return formatLogHeader(fields) + rows.map((row) => formatLogLine(fields, row) + "\n").join("");
}

/**
 * A realistic log entry for a tracker GET of the pixel. `query` is the query string exactly as
 * the tracker sent it (already percent-encoded by the tracker).
 */
export function pixelHitRow(
  query: string,
  overrides: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    date: "2024-05-17",
    time: "10:15:42",
    "x-edge-location": "FRA56-P1",
    "sc-bytes": "425",
    "c-ip": "203.0.113.7",
    "cs-method": "GET",
    "cs(Host)": "d111111abcdef8.cloudfront.net",
    "cs-uri-stem": "/i",
    "sc-status": "200",
    "cs(Referer)": "https://www.example.com/shop/basket?step=2",
    "cs(User-Agent)":
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    "cs-uri-query": query,
    "cs(Cookie)": "",
    "x-edge-result-type": "Hit",
    "x-edge-request-id": "G7oJ5wq0yQyF1J2d2Q3-5fJk0b9kq0c0RgXxZzY1l8rLwL0cK6pA2g==",
    "x-host-header": "collector.example.com",
    "cs-protocol": "https",
    "cs-bytes": "1032",
    "time-taken": "0.001",
    "x-forwarded-for": "",
    "ssl-protocol": "TLSv1.3",
    "ssl-cipher": "TLS_AES_128_GCM_SHA256",
    "x-edge-response-result-type": "Hit",
    "cs-protocol-version": "HTTP/2.0",
    "fle-status": "",
    "fle-encrypted-fields": "",
    "c-port": "53414",
    "time-to-first-byte": "0.001",
    "x-edge-detailed-result-type": "Hit",
    "sc-content-type": "image/gif",
    "sc-content-len": "43",
    "sc-range-start": "",
    "sc-range-end": "",
    ...overrides,
  };
}

/**
 * A v2 `w3c` file: AWS's sample shows the `#Fields` line alone, then the delivery's fields in
 * the delivery's order, tab-delimited (the delimiter the collector sets).
 */
export function formatV2W3cLog(
  rows: readonly Readonly<Record<string, string>>[],
  fields: readonly string[],
): string {
  return `#Fields: ${fields.join(" ")}\n` + rows.map((row) => formatLogLine(fields, row) + "\n").join("");
}

/**
 * How a v2 file may hold a request: percent-encoded on top, as legacy W3C files do, or as received.
 * AWS documents neither for v2 JSON (collector/eventLogs/logEncoding.ts); tests write both.
 */
export type WrittenEncoding = "percent-encoded" | "as received";

/** A value as a file of that encoding holds it (`-` for empty either way). */
export function writeLogValue(value: string, encoding: WrittenEncoding): string {
  if (encoding === "percent-encoded") return encodeLogValue(value);
  return value === "" ? "-" : value;
}

/** A v2 `json` file: one object a line, keyed by field name, values as CloudFront logs them. */
export function formatV2JsonLog(
  rows: readonly Readonly<Record<string, string>>[],
  fields: readonly string[],
  encoding: WrittenEncoding = "percent-encoded",
): string {
  return rows
    .map(
      (row) =>
        JSON.stringify(Object.fromEntries(fields.map((f) => [f, writeLogValue(row[f] ?? "", encoding)]))) +
        "\n",
    )
    .join("");
}
