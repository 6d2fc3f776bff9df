import * as assert from "assert";
import {
  CONTEXTS_SCHEMA,
  contextsParam,
  decodeBase64Text,
  decodeContexts,
  decodeSelfDescribingEvent,
  encodeBase64UrlJson,
  selfDescribingEventParam,
  UNSTRUCT_EVENT_SCHEMA,
} from "../../logs/trackerPayload";

const search = {
  schema: "iglu:com.example/search/jsonschema/1-0-0",
  data: { q: "<?>~ ÿü ✓" },
};
const webPage = {
  schema: "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0",
  data: { id: "a1" },
};
const consent = { schema: "iglu:com.example/consent/jsonschema/1-0-2", data: { granted: ["ads", "stats"] } };

/** Standard base64 with padding, the way some other tracker or a hand-made request sends it. */
const standardBase64 = (json: unknown): string =>
  Buffer.from(JSON.stringify(json), "utf8").toString("base64");

function problemOf(result: ReturnType<typeof decodeSelfDescribingEvent | typeof decodeContexts>) {
  assert.ok(result !== undefined && "problem" in result, `expected a problem, got ${JSON.stringify(result)}`);
  return result.problem;
}

describe("tracker payloads (ue_px, ue_pr, cx, co)", () => {
  it("encodes as tracker-core 4.10 does: UTF-8, URL-safe alphabet, no padding", () => {
    // The exact output of tracker-core 4.10 base64urlencode for this JSON (its `-` comes from `>~`).
    assert.strictEqual(
      encodeBase64UrlJson(search),
      "eyJzY2hlbWEiOiJpZ2x1OmNvbS5leGFtcGxlL3NlYXJjaC9qc29uc2NoZW1hLzEtMC0wIiwiZGF0YSI6eyJxIjoiPD8-fiDDv8O8IOKckyJ9fQ",
    );
  });

  it("takes the wrapper off a self-describing event sent as ue_px", () => {
    const result = decodeSelfDescribingEvent(selfDescribingEventParam(search));
    assert.deepStrictEqual(result, { value: search });
  });

  it("reads ue_px with or without padding, in either base64 alphabet", () => {
    const wrapped = { schema: UNSTRUCT_EVENT_SCHEMA, data: search };
    const url = encodeBase64UrlJson(wrapped);
    const standard = standardBase64(wrapped);
    assert.match(standard, /[+/].*=$/, "the fixture should exercise +, / and padding");
    for (const ue_px of [url, `${url}${"=".repeat((4 - (url.length % 4)) % 4)}`, standard]) {
      assert.deepStrictEqual(decodeSelfDescribingEvent({ ue_px }), { value: search }, ue_px);
    }
    // A `+` the sender left unencoded arrives as a space after form decoding.
    assert.deepStrictEqual(decodeSelfDescribingEvent({ ue_px: standard.replace(/\+/g, " ") }), {
      value: search,
    });
  });

  it("reads ue_pr and co as plain JSON", () => {
    assert.deepStrictEqual(
      decodeSelfDescribingEvent({ ue_pr: JSON.stringify({ schema: UNSTRUCT_EVENT_SCHEMA, data: search }) }),
      { value: search },
    );
    assert.deepStrictEqual(
      decodeContexts({ co: JSON.stringify({ schema: CONTEXTS_SCHEMA, data: [webPage] }) }),
      {
        value: [webPage],
      },
    );
  });

  it("prefers the base64url parameter when both are there", () => {
    const result = decodeSelfDescribingEvent({ ...selfDescribingEventParam(search), ue_pr: "not json" });
    assert.deepStrictEqual(result, { value: search });
  });

  it("decodes every context of cx, and nothing when there is none", () => {
    assert.deepStrictEqual(decodeContexts(contextsParam([webPage, consent])), { value: [webPage, consent] });
    assert.deepStrictEqual(decodeContexts(contextsParam([])), { value: [] });
    assert.strictEqual(decodeContexts({ e: "pv" }), undefined);
    assert.strictEqual(decodeSelfDescribingEvent({ e: "pv" }), undefined);
  });

  it("accepts a later 1-x-y of Snowplow's wrappers", () => {
    const cx = encodeBase64UrlJson({
      schema: "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1",
      data: [webPage],
    });
    assert.deepStrictEqual(decodeContexts({ cx }), { value: [webPage] });
  });

  describe("what does not decode is a problem with the reason and the raw value", () => {
    const url = encodeBase64UrlJson({ schema: UNSTRUCT_EVENT_SCHEMA, data: search });
    const cases: { name: string; ue_px: string; reason: RegExp }[] = [
      // Buffer alone would skip the `*` and decode the rest as if nothing were wrong.
      {
        name: "a character outside base64",
        ue_px: `${url.slice(0, 8)}*${url.slice(8)}`,
        reason: /unexpected "\*" at offset 8/,
      },
      {
        name: "a value cut short",
        ue_px: url.slice(0, 4 * 10 + 1),
        reason: /41 characters cannot be whole bytes/,
      },
      {
        name: "padding in the middle",
        ue_px: `${url.slice(0, 8)}==${url.slice(8)}`,
        reason: /unexpected "=" at offset 8/,
      },
      { name: "too much padding", ue_px: "eyJhIjoxfQ===", reason: /wrong padding/ },
      {
        name: "bytes that are not UTF-8",
        ue_px: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString("base64url"),
        reason: /not UTF-8/,
      },
      {
        name: "text that is not JSON",
        ue_px: Buffer.from("{schema:").toString("base64url"),
        reason: /^not JSON: /,
      },
      { name: "an empty value", ue_px: "", reason: /^not JSON: / },
      {
        name: "JSON that is not an object",
        ue_px: encodeBase64UrlJson(["a"]),
        reason: /wrong shape: the JSON is not an object with schema and data/,
      },
      {
        name: "another wrapper schema",
        ue_px: encodeBase64UrlJson({ schema: CONTEXTS_SCHEMA, data: search }),
        reason:
          /schema is "iglu:com.snowplowanalytics.snowplow\/contexts\/jsonschema\/1-0-0", expected .*unstruct_event/,
      },
      {
        name: "the next major version of the wrapper",
        ue_px: encodeBase64UrlJson({ schema: UNSTRUCT_EVENT_SCHEMA.replace("1-0-0", "2-0-0"), data: search }),
        reason: /expected "iglu:com.snowplowanalytics.snowplow\/unstruct_event\/jsonschema\/1-0-0"/,
      },
      {
        name: "an event without its inner wrapper",
        ue_px: encodeBase64UrlJson({ schema: UNSTRUCT_EVENT_SCHEMA, data: { q: "x" } }),
        reason: /wrong shape: data\.schema is not a string/,
      },
      {
        name: "an inner event without data",
        ue_px: encodeBase64UrlJson({ schema: UNSTRUCT_EVENT_SCHEMA, data: { schema: search.schema } }),
        reason: /wrong shape: data\.data is missing/,
      },
      {
        name: "an inner schema that is not an Iglu URI",
        ue_px: encodeBase64UrlJson({
          schema: UNSTRUCT_EVENT_SCHEMA,
          data: { schema: "com.example/x", data: {} },
        }),
        reason: /data\.schema "com.example\/x" is not an Iglu URI/,
      },
    ];
    for (const { name, ue_px, reason } of cases) {
      it(name, () => {
        const problem = problemOf(decodeSelfDescribingEvent({ ue_px }));
        assert.strictEqual(problem.param, "ue_px");
        assert.strictEqual(problem.raw, ue_px);
        assert.match(problem.reason, reason);
      });
    }

    it("plain JSON that does not parse, in ue_pr and co", () => {
      const ue = problemOf(decodeSelfDescribingEvent({ ue_pr: '{"schema":' }));
      assert.deepStrictEqual([ue.param, ue.raw], ["ue_pr", '{"schema":']);
      assert.match(ue.reason, /^not JSON: /);
      const co = problemOf(decodeContexts({ co: "[" }));
      assert.deepStrictEqual([co.param, co.raw], ["co", "["]);
    });

    it("contexts whose data is not a list, or one of which has no schema", () => {
      const notList = encodeBase64UrlJson({ schema: CONTEXTS_SCHEMA, data: webPage });
      assert.match(problemOf(decodeContexts({ cx: notList })).reason, /wrong shape: data is not an array/);
      const noSchema = contextsParam([webPage, { data: {} } as never]).cx;
      const problem = problemOf(decodeContexts({ cx: noSchema }));
      assert.match(problem.reason, /wrong shape: data\[1\]\.schema is not a string/);
      assert.strictEqual(problem.raw, noSchema);
    });
  });

  it("decodes base64 strictly on its own terms", () => {
    assert.deepStrictEqual(decodeBase64Text("eyJhIjoxfQ"), { text: '{"a":1}' });
    assert.deepStrictEqual(decodeBase64Text("eyJhIjoxfQ=="), { text: '{"a":1}' });
    assert.match(String(decodeBase64Text("eyJhIjoxfQ=").problem), /wrong padding/);
  });
});
