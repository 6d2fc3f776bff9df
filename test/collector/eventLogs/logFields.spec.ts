import * as assert from "assert";
import {
  ALL_FIELD_NAMES,
  athenaColumnName,
  EVENT_FIELDS,
  FIELD_SETS,
  LEGACY_FIELD_NAMES,
  LOG_FIELDS,
  logField,
  resolveRecordFields,
  V2_ONLY_FIELD_NAMES,
} from "../../../collector/eventLogs/logFields";
import { CLOUDFRONT_FIELDS } from "../../../logs/accessLogFields";

// AWS's documented order of the legacy fields (CloudFront "standard-logs-reference").
const AWS_LEGACY_ORDER =
  "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) " +
  "cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header " +
  "cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher " +
  "x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port " +
  "time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start " +
  "sc-range-end";

describe("the log field catalogue", () => {
  it("lists the 33 legacy fields in AWS's order, then the six v2-only ones", () => {
    assert.deepStrictEqual(LEGACY_FIELD_NAMES, AWS_LEGACY_ORDER.split(" "));
    assert.deepStrictEqual(V2_ONLY_FIELD_NAMES, [
      "timestamp(ms)",
      "origin-fbl",
      "origin-lbl",
      "asn",
      "c-country",
      "cache-behavior-path-pattern",
    ]);
    assert.strictEqual(new Set(ALL_FIELD_NAMES).size, 39);
  });

  it("is the list the reader writes its legacy sample files with", () => {
    assert.strictEqual(CLOUDFRONT_FIELDS, LEGACY_FIELD_NAMES);
  });

  it("names Athena columns lower case and SQL-safe, unique", () => {
    assert.strictEqual(athenaColumnName("cs(Host)"), "cs_host");
    assert.strictEqual(athenaColumnName("timestamp(ms)"), "timestamp_ms");
    assert.strictEqual(athenaColumnName("cs(User-Agent)"), "cs_user_agent");
    assert.strictEqual(athenaColumnName("x-edge-location"), "x_edge_location");
    for (const f of LOG_FIELDS) assert.match(f.column, /^[a-z][a-z0-9_]*[a-z0-9]$/, f.name);
    assert.strictEqual(new Set(LOG_FIELDS.map((f) => f.column)).size, LOG_FIELDS.length);
  });

  it("types the columns as AWS's Athena DDL for CloudFront logs does", () => {
    const types = Object.fromEntries(LOG_FIELDS.map((f) => [f.name, f.athenaType]));
    assert.strictEqual(types.date, "date");
    assert.strictEqual(types["sc-bytes"], "bigint");
    assert.strictEqual(types["sc-status"], "int");
    assert.strictEqual(types["c-port"], "int");
    assert.strictEqual(types["time-taken"], "double");
    assert.strictEqual(types["timestamp(ms)"], "bigint");
    assert.strictEqual(types["cs-uri-query"], "string");
    assert.strictEqual(logField("c-country")?.legacy, false);
    assert.strictEqual(logField("nope"), undefined);
  });

  it("keeps no IP, port or cookie in the privacy set, but keeps c-country and the event fields", () => {
    for (const personal of ["c-ip", "x-forwarded-for", "cs(Cookie)", "c-port"]) {
      assert.ok(!FIELD_SETS.privacy.includes(personal), personal);
      assert.ok(FIELD_SETS.all.includes(personal), personal);
    }
    assert.ok(FIELD_SETS.privacy.includes("c-country"));
    for (const f of EVENT_FIELDS) assert.ok(FIELD_SETS.privacy.includes(f), f);
    assert.strictEqual(FIELD_SETS.privacy.length, 35);
  });
});

describe("resolveRecordFields", () => {
  it("resolves the set names", () => {
    assert.deepStrictEqual(resolveRecordFields("privacy").fields, FIELD_SETS.privacy);
    assert.deepStrictEqual(resolveRecordFields(" all ").fields, ALL_FIELD_NAMES);
  });

  it("keeps an explicit list in its own order", () => {
    const r = resolveRecordFields("cs-uri-query, date,time,cs-method,sc-status,cs-uri-stem,c-country");
    assert.deepStrictEqual(r.fields, [
      "cs-uri-query",
      "date",
      "time",
      "cs-method",
      "sc-status",
      "cs-uri-stem",
      "c-country",
    ]);
  });

  it("refuses unknown names, suggesting AWS's spelling", () => {
    const r = resolveRecordFields("date,time,cs-method,cs-uri-stem,cs-uri-query,cs(host),client-ip");
    assert.strictEqual(r.fields, undefined);
    assert.match(r.problem ?? "", /unknown: cs\(host\) \(did you mean cs\(Host\)\?\), client-ip/);
  });

  it("refuses repeats, an empty list, and a list without the event fields", () => {
    assert.match(
      resolveRecordFields("date,time,date,cs-method,cs-uri-stem,cs-uri-query").problem ?? "",
      /repeated: date/,
    );
    assert.match(resolveRecordFields(" , ").problem ?? "", /privacy or all/);
    assert.match(
      resolveRecordFields("date,time").problem ?? "",
      /missing: cs-method, cs-uri-stem, sc-status, cs-uri-query/,
    );
  });
});
