/**
 * The SQL that turns the events table's rows into requests as the tracker sent them, whichever way
 * the log files hold the query string: the one place the encoding rule of
 * collector/eventLogs/logEncoding.ts is written for Athena (engine 3, Trino). Views and named
 * queries build on `decodedRequests` and `trackerParam`; they never decode the logged query
 * themselves.
 *
 * Two Trino facts shape it:
 * - url_decode, url_extract_parameter and from_base64url raise INVALID_FUNCTION_ARGUMENT on bad
 *   input (trinodb/trino UrlFunctions.java), and any logged request can carry a bad escape
 *   (`/i?e=pv&url=%ZZ` is served and logged like any other): every decoding call sits in try(), so
 *   a bad value is NULL in its own row and never fails the query.
 * - url_extract_parameter decodes the whole query before it splits it (java.net.URI#getQuery): on
 *   a query held as received that turns a tracker's `%26` into a separator. So parameters are cut
 *   out of the query first (regexp_extract) and only then decoded.
 */
import { AS_RECEIVED_PATTERN, PERCENT_ENCODED_PATTERN } from "../eventLogs/logEncoding";
import type { EventsTable } from "./namedQueries";

/** Athena's hidden column naming the S3 object a row was read from. */
export const PATH_COLUMN = "$path";

/** Columns decodedRequests adds to the table's own. */
export const DECODED_COLUMNS = {
  /** The S3 object the row came from (Athena's `$path`). */
  file: "log_file",
  /** What the row's own query says: 'as received', 'percent-encoded', or NULL (reads either way). */
  lineSign: "line_sign",
  /** Whether any line of the row's file leans each way (the window's results). */
  fileAsReceived: "file_as_received",
  filePercentEncoded: "file_percent_encoded",
  /** The file's encoding (logEncoding.ts): 'percent-encoded', 'as received', 'indistinct', 'neither'. */
  encoding: "log_encoding",
  /** The query string exactly as the tracker sent it (its own escapes still in); NULL if it does not decode. */
  trackerQuery: "tracker_query",
} as const;

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** A string literal cut into `||`-joined pieces, so that no SQL line runs past 100 characters. */
function longLiteral(text: string, indent: string): string {
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += 60) pieces.push(literal(text.slice(at, at + 60)));
  return pieces.join(`\n${indent}|| `);
}

/** A regular expression that matches `name=` as a parameter of a query string. */
function paramPattern(name: string): string {
  const escaped = name.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
  // The last one wins, as in the reader (decodeTrackerQuery): the greedy `.*&` finds the last.
  return `^(?:.*&)?${escaped}=([^&]*)`;
}

/**
 * A tracker parameter, decoded as the tracker sent it (form decoding: `+` is a space), from a
 * column holding the tracker's query string (decodedRequests' tracker_query); NULL when it is
 * absent or does not decode.
 */
export function trackerParam(
  name: string,
  trackerQuery: string = quote(DECODED_COLUMNS.trackerQuery),
): string {
  return `try(url_decode(regexp_extract(${trackerQuery}, ${literal(paramPattern(name))}, 1)))`;
}

/**
 * Every request row of the table `t`, with the decoded columns above: a SELECT to use as a
 * subquery or a view's body. `partitionColumns` are the table's partition keys: the window that
 * decides each file's encoding is partitioned by them too, so that a query's partition filter
 * still reaches the table (Trino pushes a filter through a window only on its partition keys).
 *
 * Header lines of W3C files are dropped here, by what they are, not by a fixed count (v2 W3C
 * files may carry one header line or two): a line starting with `#` is one value, so the query
 * column is NULL, or, if the query is the first field, starts with `#`. A request line always has
 * a query field (`-` when empty), and CloudFront never logs a raw `#` in it.
 */
export function decodedRequests(t: EventsTable, partitionColumns: readonly string[] = []): string {
  const query = quote(t.column("cs-uri-query"));
  const c = DECODED_COLUMNS;
  const byFile = [...partitionColumns.map(quote), quote(c.file)].join(", ");
  const anyLine = (sign: string, flag: string, end: string) => [
    `      bool_or(${quote(c.lineSign)} = '${sign}') OVER (`,
    `        PARTITION BY ${byFile}`,
    `      ) AS ${quote(flag)}${end}`,
  ];
  return [
    `SELECT encoded.*,`,
    `  CASE WHEN ${quote(c.encoding)} IN ('as received', 'neither') THEN ${query}`,
    `    ELSE try(url_decode(${query})) END AS ${quote(c.trackerQuery)}`,
    `FROM (`,
    `  SELECT files.*,`,
    `    CASE WHEN ${quote(c.fileAsReceived)} AND ${quote(c.filePercentEncoded)} THEN 'neither'`,
    `      WHEN ${quote(c.fileAsReceived)} THEN 'as received'`,
    `      WHEN ${quote(c.filePercentEncoded)} THEN 'percent-encoded'`,
    `      ELSE 'indistinct' END AS ${quote(c.encoding)}`,
    `  FROM (`,
    `    SELECT signed.*,`,
    ...anyLine("as received", c.fileAsReceived, ","),
    ...anyLine("percent-encoded", c.filePercentEncoded, ""),
    `    FROM (`,
    `      SELECT logged.*, logged.${quote(PATH_COLUMN)} AS ${quote(c.file)},`,
    `        CASE WHEN regexp_like(${query},`,
    `            ${longLiteral(AS_RECEIVED_PATTERN, "            ")})`,
    `          THEN 'as received'`,
    `          WHEN regexp_like(${query}, ${literal(PERCENT_ENCODED_PATTERN)})`,
    `          THEN 'percent-encoded'`,
    `        END AS ${quote(c.lineSign)}`,
    `      FROM ${quote(t.name)} AS logged`,
    `      WHERE ${query} IS NOT NULL AND NOT starts_with(${query}, '#')`,
    `    ) AS signed`,
    `  ) AS files`,
    `) AS encoded`,
  ].join("\n");
}
