import * as assert from "assert";
import { AccessLogParser, AccessLogRecord } from "../../logs/accessLog";
import { formatAccessLog, pixelHitRow } from "../../logs/accessLogFormat";
import { decodeTrackerQuery, encodeTrackerQuery, trackerEventOf } from "../../logs/trackerEvent";

function recordsOf(text: string): AccessLogRecord[] {
  const records: AccessLogRecord[] = [];
  const parser = new AccessLogParser("t.log", (record) => records.push(record));
  parser.push(text);
  parser.end();
  return records;
}

describe("tracker events in the access log", () => {
  const params = {
    e: "pv",
    url: "https://www.example.com/a b?x=1&y=ü",
    page: "100% sure – “quoted” + plus",
    eid: "5b3a1c9e-8f2d-4e6a-9b1c-0d2e3f4a5b6c",
    aid: "shop",
  };

  it("gets back exactly what the tracker sent, through CloudFront's extra encoding", () => {
    const text = formatAccessLog([pixelHitRow(encodeTrackerQuery(params))]);
    // CloudFront's own layer: the tracker's %20 is logged as %2520.
    assert.match(text, /page=100%2525%2520sure/);
    const event = trackerEventOf(recordsOf(text)[0]);
    assert.deepStrictEqual(event?.params, params);
    assert.strictEqual(event?.timestamp, "2024-05-17T10:15:42Z");
    assert.strictEqual(event?.status, "200");
    assert.strictEqual(event?.edgeResultType, "Hit");
  });

  it("decodes a query string as logged by CloudFront, written by hand", () => {
    const text =
      "#Fields: date time cs-method cs-uri-stem sc-status cs-uri-query\n" +
      "2024-01-02\t03:04:05\tGET\t/i\t200\te=pv&page=Hello%2520World&url=https%253A%252F%252Fa.example%252F%253Fq%253D1\n";
    const event = trackerEventOf(recordsOf(text)[0]);
    assert.deepStrictEqual(event?.params, { e: "pv", page: "Hello World", url: "https://a.example/?q=1" });
  });

  it("keeps a value whose bytes are not UTF-8 instead of failing", () => {
    const records = recordsOf("#Fields: cs-method cs-uri-stem cs-uri-query\nGET\t/i\te=pv&page=%FFok\n");
    assert.strictEqual(records.length, 1);
    assert.strictEqual(records[0].get("cs-uri-query"), "e=pv&page=\uFFFDok");
  });

  it("is only a GET of /i with a query string", () => {
    const rows = [
      pixelHitRow("e=pv", { "cs-method": "POST" }),
      pixelHitRow("e=pv", { "cs-uri-stem": "/i.gif" }),
      pixelHitRow(""),
      pixelHitRow("e=pv"),
    ];
    const events = recordsOf(formatAccessLog(rows)).map((record) => trackerEventOf(record));
    assert.deepStrictEqual(
      events.map((event) => event?.params.e),
      [undefined, undefined, undefined, "pv"],
    );
  });

  it("reads repeated and empty parameters like URLSearchParams", () => {
    assert.deepStrictEqual(decodeTrackerQuery("a=1&a=2&b=&c"), { a: "2", b: "", c: "" });
  });
});
