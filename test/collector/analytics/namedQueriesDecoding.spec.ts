/**
 * The decoding chain the named queries rely on, checked against the project's own reader on
 * lines logged the way CloudFront logs them. No engine on this machine runs Trino's functions, so
 * the three the chain uses are emulated here from Trino's source (UrlFunctions.urlExtractParameter:
 * java.net.URI#getQuery, which decodes the whole query once, then split on `&` and the first `=`;
 * url_decode: java.net.URLDecoder; from_base64url: java.util.Base64's URL decoder, padding
 * optional). What this proves is the encoding arithmetic, not Athena itself.
 */
import * as assert from "assert";
import { EVENTS_TABLE, eventsTableFor } from "../../../collector/analytics/eventsTable";
import { findNamedQuery, namedQueries } from "../../../collector/analytics/namedQueries";
import { encodeLogValue } from "../../../logs/accessLogFormat";
import { decodeLogValue } from "../../../logs/accessLog";
import { decodeTrackerQuery, encodeTrackerQuery } from "../../../logs/trackerEvent";
import { contextsParam, selfDescribingEventParam } from "../../../logs/trackerPayload";

function urlExtractParameter(url: string, name: string): string | null {
  const raw = url.split("#")[0].split("?").slice(1).join("?");
  if (raw === "") return null;
  let query: string;
  try {
    query = decodeURIComponent(raw); // URI#getQuery
  } catch {
    return null; // parseUrl returns null on a URISyntaxException
  }
  for (const arg of query.split("&")) {
    const eq = arg.indexOf("=");
    const [key, value] = eq < 0 ? [arg, ""] : [arg.slice(0, eq), arg.slice(eq + 1)];
    if (key === name) return value;
  }
  return null;
}

const urlDecode = (v: string | null) => (v === null ? null : decodeURIComponent(v.replace(/\+/g, " ")));
const fromBase64Url = (v: string) => Buffer.from(v, "base64url").toString("utf8");

/** A tracker parameter as the SQL's `param()` computes it from the logged `cs_uri_query`. */
const sqlParam = (logged: string, name: string) =>
  urlDecode(urlExtractParameter(`https://c/i?${logged}`, name));

const PAGE = "https://www.example.com/shop/basket?step=2&utm_source=news letter&q=50%";
const event = {
  schema: "iglu:com.example/button_click/jsonschema/1-0-0",
  data: { label: "Buy – now & save", price: 9.5 },
};
const context = {
  schema: "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0",
  data: { id: "p-1" },
};

describe("the named queries' decoding chain (Trino's functions emulated from its source)", () => {
  const sent = {
    e: "ue",
    eid: "6d3c1e1a-3b52-4c1e-9f0e-0123456789ab",
    url: PAGE,
    page: "Ihr Warenkorb – Shop",
    ...selfDescribingEventParam(event),
    ...contextsParam([context]),
  };
  // The tracker encodes the query; CloudFront percent-encodes `%` and a few more when it logs it.
  const logged = encodeLogValue(encodeTrackerQuery(sent));

  it("the logged field is double-encoded, as the reader expects", () => {
    assert.match(logged, /%253A%252F%252F/, "the tracker's %3A%2F%2F, with % encoded again");
    assert.deepStrictEqual(decodeTrackerQuery(decodeLogValue(logged)), sent);
  });

  it("recovers every parameter the tracker sent, as the reader does", () => {
    for (const [name, value] of Object.entries(sent)) assert.strictEqual(sqlParam(logged, name), value, name);
    assert.strictEqual(sqlParam(logged, "tna"), null);
  });

  it("url_decode is needed: url_extract_parameter alone leaves the tracker's encoding", () => {
    assert.notStrictEqual(urlExtractParameter(`https://c/i?${logged}`, "url"), PAGE);
  });

  it("decodes ue_px and cx to the schemas the self-describing query reads", () => {
    const ue = JSON.parse(fromBase64Url(sqlParam(logged, "ue_px") ?? ""));
    const cx = JSON.parse(fromBase64Url(sqlParam(logged, "cx") ?? ""));
    // json_extract_scalar(ue, '$.data.schema') and json_extract_scalar(c, '$.schema') over cx.data
    assert.strictEqual(ue.data.schema, event.schema);
    assert.deepStrictEqual(
      cx.data.map((c: { schema: string }) => c.schema),
      [context.schema],
    );
    const sql = findNamedQuery(
      namedQueries(eventsTableFor(EVENTS_TABLE, "legacy")),
      "self-describing-events-by-schema",
    ).sql;
    assert.match(sql, /json_extract_scalar\(ue, '\$\.data\.schema'\)/);
    assert.match(sql, /json_extract\(cx, '\$\.data'\) AS array\(json\)/);
    assert.match(sql, /json_extract_scalar\(c, '\$\.schema'\)/);
  });

  it("reads unpadded base64url (what tracker-core sends)", () => {
    assert.doesNotMatch(sent.ue_px, /=$/);
    assert.strictEqual(
      fromBase64Url(sent.ue_px),
      JSON.stringify({ schema: JSON.parse(fromBase64Url(sent.ue_px)).schema, data: event }),
    );
  });
});
