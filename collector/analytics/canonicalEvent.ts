/**
 * The one map from the Snowplow tracker protocol's query parameters (and the few log fields an
 * event needs besides its query) to Snowplow's canonical event columns. The Athena view `events`
 * (collector/analytics/eventsView.ts) and the reader's JSON and JSONL (logs/canonicalEvent.ts)
 * are both built from it, so a column cannot exist in one and not in the other.
 *
 * Protocol followed: the Snowplow tracker protocol as the browser tracker 4.x sends it for GET
 * (tracker-core 4.10; its POST wrapper is payload_data 1-0-4), with the column names, types and
 * conversions of Snowplow's "atomic event properties" page (snowplow/documentation,
 * docs/fundamentals/canonical-event) and of Enrich's own parameter map (snowplow/enrich,
 * enrichments/Transform.scala: which parameter sets which field, with which conversion).
 *
 * Pure data: no Pulumi, no I/O. collector/ may not import logs/, so this lives here and the
 * reader imports it.
 */

/** A column's type, as Trino (the view) names it. */
export type CanonicalType = "varchar" | "timestamp(3)" | "integer" | "double" | "boolean";

/**
 * How a parameter's text becomes a column value. Every conversion gives NULL for a value it
 * cannot read, as Enrich would reject it; the event keeps its other columns.
 * - text: as sent; an empty value is NULL (Enrich sets no field for it).
 * - integer: a decimal integer that fits 32 bits (`vid`, `pp_mix`).
 * - double: a decimal number (`se_va`); Enrich's stringToDoubleLike.
 * - epochMillis: milliseconds since 1970 (`dtm`, `stm`, `ttm`), to a UTC timestamp.
 * - booleanFlag: `1` true, `0` false (`cookie`).
 */
export type Conversion = "text" | "integer" | "double" | "epochMillis" | "booleanFlag";

/** The tracker's `e` codes and the `event` values Enrich gives them (EventEnrichments.scala). */
export const EVENT_NAMES: Readonly<Record<string, string>> = {
  pv: "page_view",
  pp: "page_ping",
  se: "struct",
  ue: "unstruct",
  tr: "transaction",
  ti: "transaction_item",
};

/** The parts of `url` Enrich splits into `page_url*` columns (ConversionUtils.explodeUri). */
export type UrlPart = "host" | "path" | "query" | "fragment";

export type ColumnSource =
  /** One parameter, converted. With several, the first one present wins (`tnuid` over `nuid`). */
  | { readonly kind: "param"; readonly params: readonly string[]; readonly conversion: Conversion }
  /** `e`, through EVENT_NAMES; an unknown code is NULL (Enrich fails such an event). */
  | { readonly kind: "eventName"; readonly param: "e" }
  /** One side of a `<width>x<height>` parameter (`res`, `vp`, `ds`), as an integer. */
  | { readonly kind: "dimension"; readonly param: string; readonly side: "width" | "height" }
  /** A part of a URL parameter, still percent-encoded as in the URL (Enrich's getRawPath...). */
  | { readonly kind: "urlPart"; readonly param: string; readonly part: UrlPart }
  /**
   * Self-describing JSON, as the text the tracker encoded: base64url (`ue_px`, `cx`) or plain
   * (`ue_pr`, `co`). When the base64 one is there it is the one read, as Enrich and the reader do.
   * Text that is not UTF-8 or not JSON is NULL.
   */
  | { readonly kind: "json"; readonly base64: string; readonly plain: string }
  /** When the edge served the request: the log's `date` and `time` (UTC, whole seconds). */
  | { readonly kind: "requestTime" }
  /** A log field as logged, decoded; NULL where the delivery does not log the field. */
  | { readonly kind: "logField"; readonly field: string };

export interface CanonicalColumn {
  readonly name: string;
  readonly type: CanonicalType;
  readonly source: ColumnSource;
}

const param = (name: string, params: string | string[], conversion: Conversion = "text") => ({
  name,
  type: (
    {
      text: "varchar",
      integer: "integer",
      double: "double",
      epochMillis: "timestamp(3)",
      booleanFlag: "boolean",
    } as const
  )[conversion],
  source: { kind: "param", params: typeof params === "string" ? [params] : params, conversion } as const,
});

const dimension = (name: string, p: string, side: "width" | "height"): CanonicalColumn => ({
  name,
  type: "integer",
  source: { kind: "dimension", param: p, side },
});

const urlPart = (part: UrlPart): CanonicalColumn => ({
  name: `page_url${part}`,
  type: "varchar",
  source: { kind: "urlPart", param: "url", part },
});

/**
 * The columns, in the order of Snowplow's atomic.events table. JSON columns (`unstruct_event`,
 * `contexts`) are strings holding the JSON text, wrapper included, as in Snowplow's enriched
 * event: a string loads into any warehouse or DuckDB as it is, carries a payload whose schema no
 * table declares, and Athena's json_extract reads it as well as a JSON value.
 */
export const CANONICAL_COLUMNS: readonly CanonicalColumn[] = [
  param("app_id", "aid"),
  param("platform", "p"),
  { name: "collector_tstamp", type: "timestamp(3)", source: { kind: "requestTime" } },
  param("dvce_created_tstamp", "dtm", "epochMillis"),
  { name: "event", type: "varchar", source: { kind: "eventName", param: "e" } },
  param("event_id", "eid"),
  param("name_tracker", "tna"),
  param("v_tracker", "tv"),
  param("user_id", "uid"),
  param("domain_userid", "duid"),
  param("domain_sessionidx", "vid", "integer"),
  // Enrich takes the collector's `nuid`, then lets a tracker-set `tnuid` overwrite it.
  param("network_userid", ["tnuid", "nuid"]),
  // Derived from the IP by CloudFront; Snowplow's IP lookup enrichment fills the same column.
  { name: "geo_country", type: "varchar", source: { kind: "logField", field: "c-country" } },
  param("page_url", "url"),
  param("page_title", "page"),
  param("page_referrer", "refr"),
  urlPart("host"),
  urlPart("path"),
  urlPart("query"),
  urlPart("fragment"),
  param("se_category", "se_ca"),
  param("se_action", "se_ac"),
  param("se_label", "se_la"),
  param("se_property", "se_pr"),
  param("se_value", "se_va", "double"),
  { name: "unstruct_event", type: "varchar", source: { kind: "json", base64: "ue_px", plain: "ue_pr" } },
  { name: "contexts", type: "varchar", source: { kind: "json", base64: "cx", plain: "co" } },
  param("pp_xoffset_min", "pp_mix", "integer"),
  param("pp_xoffset_max", "pp_max", "integer"),
  param("pp_yoffset_min", "pp_miy", "integer"),
  param("pp_yoffset_max", "pp_may", "integer"),
  { name: "useragent", type: "varchar", source: { kind: "logField", field: "cs(User-Agent)" } },
  param("br_lang", "lang"),
  param("br_cookies", "cookie", "booleanFlag"),
  // A string in Snowplow's model too (max length 12), not a number.
  param("br_colordepth", "cd"),
  dimension("br_viewwidth", "vp", "width"),
  dimension("br_viewheight", "vp", "height"),
  param("os_timezone", "tz"),
  dimension("dvce_screenwidth", "res", "width"),
  dimension("dvce_screenheight", "res", "height"),
  param("doc_charset", "cs"),
  dimension("doc_width", "ds", "width"),
  dimension("doc_height", "ds", "height"),
  param("dvce_sent_tstamp", "stm", "epochMillis"),
  param("true_tstamp", "ttm", "epochMillis"),
  param("domain_sessionid", "sid"),
];

/**
 * Tracker protocol parameters that have no column here, and why. Any parameter not in the map
 * and not listed is still in the requests table's cs_uri_query (and in `npm run logs --event-id`).
 */
export const PARAMETERS_WITHOUT_COLUMN: Readonly<Record<string, string>> = {
  ip: "user_ipaddress: never stored; prod logs no IP address, and a tracker-set one is not kept either",
  ua: "a tracker-set user agent; useragent comes from the request's User-Agent header",
  "tr_id, tr_af, tr_tt, tr_tx, tr_sh, tr_ci, tr_st, tr_co, tr_cu":
    "legacy ecommerce transaction fields (e=tr): event says transaction; the fields stay in the requests table's cs_uri_query",
  "ti_id, ti_sk, ti_nm, ti_ca, ti_pr, ti_qu, ti_cu":
    "legacy ecommerce item fields (e=ti): event says transaction_item; the fields stay in cs_uri_query",
  "f_pdf, f_fla, f_java, f_dir, f_qt, f_realp, f_wma, f_gears, f_ag":
    "browser feature flags, deprecated in Snowplow's model and no longer sent by tracker 4.x",
  "ev_ca, ev_ac, ev_la, ev_pr, ev_va": "the pre-2013 names of se_*; no current tracker sends them",
  "fp, tid": "user_fingerprint and txn_id: deprecated, not sent by tracker 4.x",
};

/** The column called `name`; a name not in the map is a bug of the caller. */
export function canonicalColumn(name: string): CanonicalColumn {
  const found = CANONICAL_COLUMNS.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no canonical event column ${JSON.stringify(name)}`);
  return found;
}

/** Every tracker parameter some column reads. */
export function mappedParameters(): string[] {
  const names = new Set<string>();
  for (const { source } of CANONICAL_COLUMNS) {
    if (source.kind === "param") source.params.forEach((p) => names.add(p));
    else if (source.kind === "json") [source.base64, source.plain].forEach((p) => names.add(p));
    else if (source.kind === "eventName" || source.kind === "dimension" || source.kind === "urlPart")
      names.add(source.param);
  }
  return [...names];
}

/**
 * The pattern `url` is split with, shared by the SQL (regexp_extract) and the reader so that
 * both cut the same parts: scheme, authority, path, then `?query` and `#fragment`.
 */
export const URL_PATTERN = "^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)([^?#]*)(\\?([^#]*))?(#(.*))?$";
/** The regexp group of each part in URL_PATTERN; the host is cut out of the authority. */
export const URL_PART_GROUP: Readonly<Record<UrlPart, number>> = { host: 1, path: 2, query: 4, fragment: 6 };
/** The host of an authority: without `user@` and without `:port`. */
export const AUTHORITY_HOST_PATTERN = "^(?:[^@]*@)?(\\[[^\\]]*\\]|[^:]*)";

/** What each conversion accepts, the same pattern in the SQL and in the reader. */
export const CONVERSION_PATTERNS = {
  integer: "^-?[0-9]{1,9}$",
  double: "^[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]{1,3})?$",
  epochMillis: "^[0-9]{1,15}$",
  dimension: "^([0-9]{1,9})x([0-9]{1,9})$",
} as const;
