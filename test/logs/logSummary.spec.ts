import * as assert from "assert";
import { AccessLogParser } from "../../logs/accessLog";
import { formatAccessLog, pixelHitRow } from "../../logs/accessLogFormat";
import {
  addFileReport,
  countRecord,
  describeProblem,
  emptySummary,
  LogSummary,
  MAX_SUMMARY_PROBLEMS,
  UNDECODABLE_SCHEMA,
} from "../../logs/logSummary";
import { encodeTrackerQuery } from "../../logs/trackerEvent";
import { contextsParam, selfDescribingEventParam } from "../../logs/trackerPayload";

function summarise(rows: Record<string, string>[]): LogSummary {
  const summary = emptySummary();
  const parser = new AccessLogParser("E2X.2024-05-17-10.a.gz", (record) => countRecord(summary, record));
  parser.push(formatAccessLog(rows));
  parser.end();
  addFileReport(summary, parser.report);
  return summary;
}

const checkout = { schema: "iglu:com.example/checkout_step/jsonschema/1-0-0", data: { step: 1 } };
const search = { schema: "iglu:com.example/search/jsonschema/1-0-0", data: { q: "shoes" } };
const webPage = contextsParam([
  { schema: "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0", data: { id: "w" } },
]);
const hit = (params: Record<string, string>, overrides: Record<string, string> = {}) =>
  pixelHitRow(encodeTrackerQuery(params), overrides);

describe("the log summary", () => {
  it("counts events by type, and self-describing events by the schema they carry", () => {
    const summary = summarise([
      hit({ e: "pv", ...webPage }),
      hit({ e: "pv" }),
      hit({ e: "pp" }),
      hit({ e: "se", se_ca: "c", se_ac: "a" }),
      hit({ e: "ue", ...selfDescribingEventParam(checkout), ...webPage }),
      hit({ e: "ue", ...selfDescribingEventParam(checkout) }),
      hit({
        e: "ue",
        ue_pr: JSON.stringify({
          schema: "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0",
          data: search,
        }),
      }),
      hit({ eid: "no-type" }),
    ]);
    assert.strictEqual(summary.events, 8);
    assert.deepStrictEqual(summary.byEventType, { pv: 2, pp: 1, se: 1, ue: 3, "(none)": 1 });
    assert.deepStrictEqual(summary.bySchema, { [checkout.schema]: 2, [search.schema]: 1 });
    assert.deepStrictEqual([summary.badPayloads, summary.problems], [0, []]);
  });

  it("does not count a CORS preflight, a HEAD or a GET without a query string as an event", () => {
    const summary = summarise([
      hit({ e: "pv", eid: "1" }, { "cs-method": "OPTIONS", "sc-status": "204" }),
      pixelHitRow("", { "cs-method": "OPTIONS", "sc-status": "204" }),
      hit({ e: "pv", eid: "2" }, { "cs-method": "HEAD" }),
      pixelHitRow(""),
      hit({ e: "pv", eid: "3" }),
    ]);
    assert.strictEqual(summary.records, 5);
    assert.strictEqual(summary.events, 1);
    assert.deepStrictEqual(summary.byEventType, { pv: 1 });
    assert.deepStrictEqual(summary.byMethod, { GET: 2, HEAD: 1, OPTIONS: 2 });
  });

  it("counts an event the edge redirected or refused once, where it was served, not twice", () => {
    // redirect-to-https: the HTTP hit is logged as a 301, then the tracker's HTTPS retry as a 200;
    // an edge error is logged too, and the tracker retries it.
    const summary = summarise([
      hit(
        { e: "pv", eid: "1" },
        { "cs-protocol": "http", "sc-status": "301", "x-edge-result-type": "Redirect" },
      ),
      hit({ e: "pv", eid: "1" }),
      hit({ e: "se", eid: "2" }, { "sc-status": "403", "x-edge-result-type": "Error" }),
      hit({ e: "se", eid: "2" }, { "sc-status": "503", "x-edge-result-type": "Error" }),
      hit({ e: "se", eid: "2" }, { "sc-status": "304" }),
    ]);
    assert.deepStrictEqual([summary.events, summary.unserved], [2, 3]);
    assert.deepStrictEqual(summary.byEventType, { pv: 1, se: 1 });
    assert.deepStrictEqual(summary.byStatus, { "200": 1, "301": 1, "304": 1, "403": 1, "503": 1 });
  });

  it("makes a self-describing payload that does not decode a problem of its line, and goes on", () => {
    const longBad = `${"A".repeat(500)}*`;
    const summary = summarise([
      hit({ e: "ue", ue_px: "eyJh*Ijox" }),
      hit({ e: "ue", ue_px: longBad }),
      hit({ e: "ue" }),
      hit({ e: "ue", ...selfDescribingEventParam(checkout) }),
    ]);
    assert.strictEqual(summary.events, 4);
    assert.deepStrictEqual(summary.bySchema, { [UNDECODABLE_SCHEMA]: 3, [checkout.schema]: 1 });
    assert.strictEqual(summary.badPayloads, 3);
    assert.strictEqual(summary.badLines, 0);
    const [first, second, third] = summary.problems;
    assert.deepStrictEqual(
      { ...first, message: undefined },
      {
        file: "E2X.2024-05-17-10.a.gz",
        line: 3,
        kind: "bad-payload",
        message: undefined,
        param: "ue_px",
        reason: 'not base64: unexpected "*" at offset 4',
        raw: "eyJh*Ijox",
      },
    );
    assert.strictEqual(
      describeProblem(first),
      'E2X.2024-05-17-10.a.gz:3: bad-payload: ue_px: not base64: unexpected "*" at offset 4; raw value: eyJh*Ijox',
    );
    // The one-line message shortens a long raw value; the problem itself keeps it whole.
    assert.strictEqual(second.kind === "bad-payload" && second.raw, longBad);
    assert.match(second.message, /raw value: A{120}\.\.\. \(501 characters\)$/);
    assert.match(
      describeProblem(third),
      /:5: bad-payload: ue_px: a self-describing event without ue_px or ue_pr; raw value: \(empty\)$/,
    );
  });

  it("keeps the first problems in full and counts the rest", () => {
    const rows = Array.from({ length: MAX_SUMMARY_PROBLEMS + 5 }, () => hit({ e: "ue", ue_px: "!" }));
    const summary = summarise(rows);
    assert.strictEqual(summary.badPayloads, MAX_SUMMARY_PROBLEMS + 5);
    assert.strictEqual(summary.problems.length, MAX_SUMMARY_PROBLEMS);
  });
});
