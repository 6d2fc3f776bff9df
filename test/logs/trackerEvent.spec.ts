import * as assert from "assert";
import { AccessLogParser, AccessLogRecord } from "../../logs/accessLog";
import { formatAccessLog, pixelHitRow } from "../../logs/accessLogFormat";
import {
  decodeTrackerEvent,
  decodeTrackerQuery,
  encodeTrackerQuery,
  loggedTrackerParam,
  loggedTrackerQuery,
  trackerEventOf,
} from "../../logs/trackerEvent";
import { contextsParam, selfDescribingEventParam } from "../../logs/trackerPayload";

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

  it("is only a GET of /i with a query string: not a preflight, a HEAD, a POST or a bare GET", () => {
    const rows = [
      pixelHitRow("e=pv", { "cs-method": "POST" }),
      pixelHitRow("e=pv", { "cs-uri-stem": "/i.gif" }),
      pixelHitRow(""),
      // A CORS preflight carries the query of the request it asks about, but is not that request.
      pixelHitRow("e=pv&eid=1", { "cs-method": "OPTIONS", "sc-status": "204", "sc-content-type": "" }),
      pixelHitRow("", { "cs-method": "OPTIONS", "sc-status": "204" }),
      pixelHitRow("e=pv&eid=2", { "cs-method": "HEAD" }),
      pixelHitRow("e=pv"),
    ];
    const events = recordsOf(formatAccessLog(rows)).map((record) => trackerEventOf(record));
    assert.deepStrictEqual(
      events.map((event) => event?.params.e),
      [undefined, undefined, undefined, undefined, undefined, undefined, "pv"],
    );
  });

  it("cuts one parameter out of the logged query and decodes it like the whole query", () => {
    const sent = [
      encodeTrackerQuery({ url: "https://a.example/?e=se&x=1", e: "pv", page: "100% & = + sure" }),
      encodeTrackerQuery({ e: "se", se_la: "a&e=ue", e_x: "no" }) + "&e=ue",
      "page=a+b%20c&e=p%76&ue_px=eyJh+Ijox&",
      "e&eid=%E2%9C%93",
      "eid=1&e=se&e=ue",
      "ee=x&e_x=y&xe=z&eid=2",
      "e=&eid=1",
      "e=se&e",
      "&&e=pv&",
      "e=1&ex&e=&eid",
      "eid=e&e=e=e",
      "url=a%2Bb+c%20d&e=pv&page=100%25+sure&x=%E0%A4%A",
    ];
    const records = recordsOf(formatAccessLog(sent.map((query) => pixelHitRow(query))));
    for (const [i, record] of records.entries()) {
      const params = trackerEventOf(record)?.params ?? {};
      for (const name of ["e", "url", "page", "se_la", "ue_px", "eid", "x"]) {
        const value = loggedTrackerParam(loggedTrackerQuery(record) ?? "", name);
        assert.strictEqual(value, params[name], `${name} in ${sent[i]}`);
      }
    }
    assert.strictEqual(loggedTrackerParam(loggedTrackerQuery(records[0]) ?? "", "page"), "100% & = + sure");
    assert.strictEqual(loggedTrackerParam(loggedTrackerQuery(records[1]) ?? "", "e"), "ue");
    assert.strictEqual(loggedTrackerQuery(recordsOf(formatAccessLog([pixelHitRow("")]))[0]), undefined);
  });

  describe("decoded for a lookup", () => {
    const page = {
      url: "https://www.example.com/shop?step=2",
      page: "Basket – Example",
      refr: "https://search.example/",
    };
    const webPage = {
      schema: "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0",
      data: { id: "w1" },
    };
    const checkout = {
      schema: "iglu:com.example/checkout_step/jsonschema/1-0-0",
      data: { step: 2, ok: true },
    };
    const decodedFromLog = (params: Record<string, string>) => {
      const event = trackerEventOf(recordsOf(formatAccessLog([pixelHitRow(encodeTrackerQuery(params))]))[0]);
      assert.ok(event);
      return decodeTrackerEvent(event);
    };

    it("a page view: its type, page and contexts", () => {
      const event = decodedFromLog({ e: "pv", eid: "e1", ...page, ...contextsParam([webPage]) });
      assert.deepStrictEqual(event.type, { code: "pv", name: "page view" });
      assert.deepStrictEqual(event.page, { url: page.url, title: page.page, referrer: page.refr });
      assert.deepStrictEqual(event.contexts, [webPage]);
      assert.deepStrictEqual(
        [event.selfDescribing, event.structured, event.problems],
        [undefined, undefined, []],
      );
    });

    it("a structured event: its five fields", () => {
      const se = { se_ca: "shop", se_ac: "add-to-basket", se_la: "SKU 12", se_pr: "red", se_va: "19.99" };
      const event = decodedFromLog({ e: "se", ...se, ...page });
      assert.deepStrictEqual(event.type, { code: "se", name: "structured event" });
      assert.deepStrictEqual(event.structured, {
        category: "shop",
        action: "add-to-basket",
        label: "SKU 12",
        property: "red",
        value: "19.99",
      });
      assert.deepStrictEqual(event.contexts, []);
    });

    it("a self-describing event: the inner schema and data, and each context", () => {
      const consent = { schema: "iglu:com.example/consent/jsonschema/1-0-0", data: { granted: true } };
      const event = decodedFromLog({
        e: "ue",
        ...page,
        ...selfDescribingEventParam(checkout),
        ...contextsParam([webPage, consent]),
      });
      assert.strictEqual(event.type.name, "self-describing event");
      assert.deepStrictEqual(event.selfDescribing, checkout);
      assert.deepStrictEqual(
        event.contexts.map((c) => c.schema),
        [webPage.schema, consent.schema],
      );
      assert.deepStrictEqual(event.problems, []);
    });

    it("names page pings, transactions and their items, and says when it does not know a type", () => {
      const names = ["pp", "tr", "ti", "xx", ""].map((e) => decodedFromLog({ e, eid: "1" }).type);
      assert.deepStrictEqual(names, [
        { code: "pp", name: "page ping" },
        { code: "tr", name: "ecommerce transaction" },
        { code: "ti", name: "ecommerce transaction item" },
        { code: "xx", name: "unknown event type" },
        { code: "(none)", name: "no event type (no e parameter)" },
      ]);
    });

    it("keeps going past payloads that do not decode, with the reasons and raw values", () => {
      const event = decodedFromLog({
        e: "ue",
        eid: "bad",
        ue_px: "eyJh*Ijox",
        cx: contextsParam([webPage]).cx.slice(0, 9),
      });
      assert.deepStrictEqual(
        event.problems.map((p) => [p.param, p.raw]),
        [
          ["ue_px", "eyJh*Ijox"],
          ["cx", contextsParam([webPage]).cx.slice(0, 9)],
        ],
      );
      assert.match(event.problems[0].reason, /unexpected "\*"/);
      assert.match(event.problems[1].reason, /cannot be whole bytes/);
      assert.strictEqual(event.params.ue_px, "eyJh*Ijox");
      assert.deepStrictEqual([event.selfDescribing, event.contexts], [undefined, []]);
    });

    it("says a self-describing event without its payload is one", () => {
      const event = decodedFromLog({ e: "ue", eid: "1" });
      assert.deepStrictEqual(event.problems, [
        { param: "ue_px", reason: "a self-describing event without ue_px or ue_pr", raw: "" },
      ]);
    });
  });

  it("reads repeated and empty parameters like URLSearchParams", () => {
    assert.deepStrictEqual(decodeTrackerQuery("a=1&a=2&b=&c"), { a: "2", b: "", c: "" });
  });
});
