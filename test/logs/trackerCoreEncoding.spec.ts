import * as assert from "assert";
import {
  buildPageView,
  buildSelfDescribingEvent,
  buildStructEvent,
  Payload,
  PayloadBuilder,
  SelfDescribingJson,
  trackerCore,
} from "@snowplow/tracker-core";
import { AccessLogParser } from "../../logs/accessLog";
import { formatAccessLog, pixelHitRow } from "../../logs/accessLogFormat";
import { countRecord, emptySummary } from "../../logs/logSummary";
import { decodeTrackerEvent, encodeTrackerQuery, trackerEventOf } from "../../logs/trackerEvent";
import { encodeBase64UrlJson } from "../../logs/trackerPayload";

/**
 * The payloads come from Snowplow's own tracker-core (the library inside the browser tracker),
 * so the reader is held to the real encoder, not to this project's idea of it.
 */
describe("payloads encoded by @snowplow/tracker-core", () => {
  const checkout = {
    schema: "iglu:com.example/checkout_step/jsonschema/1-0-0",
    data: { step: 2, label: "Kasse ✓ <?>" },
  };
  const visitor: SelfDescribingJson = {
    schema: "iglu:com.example/visitor/jsonschema/1-0-0",
    data: { tier: "gold" },
  };
  const page = {
    pageUrl: "https://www.example.com/basket?x=1&y=ü",
    pageTitle: "Basket – 100%",
    referrer: "",
  };

  function track(base64: boolean, pb: PayloadBuilder, context?: SelfDescribingJson[]): Payload {
    const payload = trackerCore({ base64 }).track(pb, context);
    assert.ok(payload);
    return payload;
  }

  /** Through a CloudFront log line and back, as `npm run logs` reads it. */
  function readBack(payloads: Payload[]) {
    const rows = payloads.map((payload) =>
      pixelHitRow(
        encodeTrackerQuery(Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, String(v)]))),
      ),
    );
    const summary = emptySummary();
    const events: ReturnType<typeof decodeTrackerEvent>[] = [];
    const parser = new AccessLogParser("t.log", (record) => {
      countRecord(summary, record);
      const event = trackerEventOf(record);
      if (event) events.push(decodeTrackerEvent(event));
    });
    parser.push(formatAccessLog(rows));
    parser.end();
    return { summary, events };
  }

  for (const base64 of [true, false]) {
    it(`reads them back whole (base64: ${base64}, so ${base64 ? "ue_px and cx" : "ue_pr and co"})`, () => {
      const payloads = [
        track(base64, buildPageView(page), [visitor]),
        track(base64, buildStructEvent({ category: "basket", action: "add", label: "SKU 1", value: 2 })),
        track(base64, buildSelfDescribingEvent({ event: checkout }), [visitor]),
      ];
      assert.strictEqual(payloads[2].ue_px !== undefined, base64);
      assert.strictEqual(payloads[2].cx !== undefined, base64);
      const { summary, events } = readBack(payloads);
      assert.deepStrictEqual(summary.byEventType, { pv: 1, se: 1, ue: 1 });
      assert.deepStrictEqual(summary.bySchema, { [checkout.schema]: 1 });
      assert.deepStrictEqual(summary.problems, []);
      const [pv, se, ue] = events;
      assert.deepStrictEqual(pv.page, { url: page.pageUrl, title: page.pageTitle });
      assert.deepStrictEqual(pv.contexts, [visitor]);
      assert.deepStrictEqual(se.structured, {
        category: "basket",
        action: "add",
        label: "SKU 1",
        value: "2",
      });
      assert.deepStrictEqual(ue.selfDescribing, checkout);
      assert.deepStrictEqual(ue.contexts, [visitor]);
      assert.deepStrictEqual(
        events.map((event) => event.problems),
        [[], [], []],
      );
    });
  }

  it("encodes ue_px exactly as this project's fixtures do", () => {
    const payload = track(true, buildSelfDescribingEvent({ event: checkout }));
    assert.strictEqual(
      payload.ue_px,
      encodeBase64UrlJson({
        schema: "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0",
        data: checkout,
      }),
    );
  });
});
