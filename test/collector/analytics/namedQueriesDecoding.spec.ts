/**
 * The decoding chain the named queries rely on (collector/analytics/requestDecoding.ts), checked
 * against what the tracker sent, for files that hold the query percent-encoded (legacy W3C, and
 * v2 if AWS encodes it) and files that hold it as received. No engine on this machine runs
 * Trino's functions, so the ones the chain uses are emulated here from Trino's source:
 * url_decode is java.net.URLDecoder (`+` is a space; a bad escape throws, which try() turns into
 * NULL); regexp_like and regexp_extract take the same patterns (the syntax used is common to Joni
 * and JavaScript); from_base64url is java.util.Base64's URL decoder, padding optional; the window
 * over a file is a group of rows. What this proves is the encoding arithmetic, not Athena itself.
 */
import * as assert from "assert";
import { EVENTS_TABLE, eventsTableFor, requestsTableFor } from "../../../collector/analytics/eventsTable";
import { EVENTS_VIEW, eventsViewSql } from "../../../collector/analytics/eventsView";
import { FIELD_SETS } from "../../../collector/eventLogs/logFields";
import { findNamedQuery, namedQueries } from "../../../collector/analytics/namedQueries";
import { decodedRequests, trackerParam } from "../../../collector/analytics/requestDecoding";
import {
  AS_RECEIVED_PATTERN,
  LogEncoding,
  PERCENT_ENCODED_PATTERN,
  sameRegExp,
} from "../../../collector/eventLogs/logEncoding";
import { encodeLogValue } from "../../../logs/accessLogFormat";
import { encodeTrackerQuery } from "../../../logs/trackerEvent";
import { contextsParam, selfDescribingEventParam } from "../../../logs/trackerPayload";

/** java.net.URLDecoder.decode(value, UTF_8), under try(): NULL where Trino raises an error. */
function tryUrlDecode(value: string | null): string | null {
  if (value === null) return null;
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === "%") {
      const hex = value.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null; // IllegalArgumentException
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(c === "+" ? " " : c, "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

const regexpLike = (value: string, pattern: string) => sameRegExp(pattern).test(value);

function regexpExtract(value: string | null, pattern: string): string | null {
  if (value === null) return null;
  return sameRegExp(pattern).exec(value)?.[1] ?? null;
}

/** The pattern a trackerParam() call passes to regexp_extract, read back out of its SQL. */
function paramPatternOf(name: string): string {
  const m = /regexp_extract\([^,]+, '((?:[^']|'')*)', 1\)/.exec(trackerParam(name));
  assert.ok(m, trackerParam(name));
  return m[1].replace(/''/g, "'");
}

interface DecodedRow {
  encoding: LogEncoding;
  trackerQuery: string | null;
  param(name: string): string | null;
}

/** decodedRequests over one file's logged query strings: sign each line, decide the file, decode. */
function decodeFile(loggedQueries: readonly string[]): DecodedRow[] {
  const signs = loggedQueries.map((q) =>
    regexpLike(q, AS_RECEIVED_PATTERN)
      ? "as received"
      : regexpLike(q, PERCENT_ENCODED_PATTERN)
        ? "percent-encoded"
        : null,
  );
  const asReceived = signs.includes("as received");
  const percentEncoded = signs.includes("percent-encoded");
  const encoding: LogEncoding =
    asReceived && percentEncoded
      ? "neither"
      : asReceived
        ? "as received"
        : percentEncoded
          ? "percent-encoded"
          : "indistinct";
  return loggedQueries.map((q) => {
    const trackerQuery = encoding === "as received" || encoding === "neither" ? q : tryUrlDecode(q);
    return {
      encoding,
      trackerQuery,
      param: (name) => tryUrlDecode(regexpExtract(trackerQuery, paramPatternOf(name))),
    };
  });
}

const fromBase64Url = (v: string) => Buffer.from(v, "base64url").toString("utf8");

const event = {
  schema: "iglu:com.example/button_click/jsonschema/1-0-0",
  data: { label: "Buy – now & save", price: 9.5 },
};
const context = {
  schema: "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0",
  data: { id: "p-1" },
};

/** What the official tracker sends: the cases issue #16 found read back wrong. */
const SENT: readonly Record<string, string>[] = [
  { e: "pv", eid: "e-1", url: "https://www.example.com/shop?a=1&b=2", page: "50% off & more" },
  { e: "se", eid: "e-2", url: "https://www.example.com/", se_ca: "a&b=c", se_ac: "50% + more" },
  {
    e: "ue",
    eid: "e-3",
    url: "https://www.example.com/shop/basket?step=2&utm_source=news letter&q=50%",
    page: "Ihr Warenkorb – Shop",
    ...selfDescribingEventParam(event),
    ...contextsParam([context]),
  },
  { e: "pv", eid: "e-4", url: `https://www.example.com/search?${"q=%E2%82%AC&".repeat(200)}` },
];

/** The same requests as a file holds them either way. */
const FILES: Record<"as received" | "percent-encoded", string[]> = {
  "as received": SENT.map(encodeTrackerQuery),
  "percent-encoded": SENT.map((sent) => encodeLogValue(encodeTrackerQuery(sent))),
};

describe("the named queries' decoding chain (Trino's functions emulated from its source)", () => {
  it("a percent-encoded file is double-encoded, a file as received is not", () => {
    assert.match(FILES["percent-encoded"][0], /%253A%252F%252F/, "the tracker's %3A%2F%2F, % encoded again");
    assert.match(FILES["as received"][0], /url=https%3A%2F%2F/);
  });

  for (const [written, lines] of Object.entries(FILES)) {
    describe(`over a file holding the query ${written}`, () => {
      const rows = decodeFile(lines);

      it(`finds the file ${written}`, () => {
        assert.deepStrictEqual(
          rows.map((r) => r.encoding),
          lines.map(() => written),
        );
      });

      it("recovers every parameter the tracker sent, and nothing it did not", () => {
        rows.forEach((row, i) => {
          for (const [name, value] of Object.entries(SENT[i]))
            assert.strictEqual(row.param(name), value, name);
          assert.strictEqual(row.param("b"), null, "no parameter cut out of the page URL");
          assert.strictEqual(row.param("tna"), null);
        });
      });

      it("decodes ue_px and cx to the schemas the self-describing query reads", () => {
        const ue = JSON.parse(fromBase64Url(rows[2].param("ue_px") ?? ""));
        const cx = JSON.parse(fromBase64Url(rows[2].param("cx") ?? ""));
        assert.strictEqual(ue.data.schema, event.schema);
        assert.deepStrictEqual(
          cx.data.map((c: { schema: string }) => c.schema),
          [context.schema],
        );
      });

      it("a bad escape costs that value in its own row, never the query", () => {
        const bad =
          written === "as received" ? "e=pv&url=%ZZ&eid=e-5" : encodeLogValue("e=pv&url=%ZZ&eid=e-5");
        const withBad = decodeFile([...lines, bad]);
        assert.strictEqual(withBad[0].encoding, written, "one hand-made request does not flip the file");
        const row = withBad[withBad.length - 1];
        assert.deepStrictEqual([row.param("e"), row.param("url"), row.param("eid")], ["pv", null, "e-5"]);
        assert.strictEqual(withBad[0].param("eid"), "e-1");
      });
    });
  }

  it("a file with no telling line reads the same either way (indistinct)", () => {
    // No tracker escape at all: a hand-made pixel URL, its space written as `+`.
    const asSent = "e=pv&page=Hello+World&tv=pixel-1";
    const raw = decodeFile([asSent]);
    const encoded = decodeFile([encodeLogValue(asSent)]);
    assert.deepStrictEqual([raw[0].encoding, encoded[0].encoding], ["indistinct", "indistinct"]);
    for (const name of ["e", "page", "tv"]) assert.strictEqual(raw[0].param(name), encoded[0].param(name));
    assert.strictEqual(raw[0].param("page"), "Hello World");
  });

  it("a file with lines of both kinds fits neither: its queries are kept as logged", () => {
    const rows = decodeFile([FILES["as received"][0], FILES["percent-encoded"][1]]);
    assert.deepStrictEqual(
      rows.map((r) => [r.encoding, r.trackerQuery]),
      [
        ["neither", FILES["as received"][0]],
        ["neither", FILES["percent-encoded"][1]],
      ],
    );
  });

  it("url_extract_parameter would have cut the page URL: it decodes the query before splitting it", () => {
    // What the named queries did before: url_extract_parameter over a query held as received.
    const decodedFirst = decodeURIComponent(FILES["as received"][0]);
    assert.match(decodedFirst, /url=https:\/\/www\.example\.com\/shop\?a=1&b=2/);
  });

  it("the SQL carries the rule's patterns, the file window and every decoding call inside try()", () => {
    const sqlLiteral = (text: string) => text.replace(/'/g, "''");
    const requests = decodedRequests(eventsTableFor(EVENTS_TABLE, "v2"), ["year", "hour"]);
    const joined = requests.replace(/'\n\s*\|\| '/g, "");
    assert.ok(joined.includes(sqlLiteral(AS_RECEIVED_PATTERN)), requests);
    assert.ok(joined.includes(sqlLiteral(PERCENT_ENCODED_PATTERN)));
    assert.match(requests, /PARTITION BY "year", "hour", "log_file"/);
    assert.match(requests, /NOT starts_with\("cs_uri_query", '#'\)/);
    // The view is where the named queries' decoding now happens (they read its columns).
    for (const fields of [
      { layout: "legacy" },
      { layout: "v2", recordFields: FIELD_SETS.privacy },
    ] as const) {
      const sql = eventsViewSql(requestsTableFor(EVENTS_TABLE, fields));
      const calls = [...sql.matchAll(/\b(url_decode|regexp_extract|from_base64|date_parse|json_parse)\(/g)];
      const bare = [
        ...sql.matchAll(
          /(?<!try\(|from_utf8\()\b(url_decode|url_extract_parameter|from_base64|date_parse|json_parse)\(/g,
        ),
      ];
      assert.ok(calls.length > 0, fields.layout);
      assert.deepStrictEqual(
        bare.map((m) => m[0]),
        [],
        `the view over ${fields.layout}: a decoding call outside try()`,
      );
    }
    for (const q of namedQueries(eventsTableFor(EVENTS_VIEW, "v2"))) {
      assert.doesNotMatch(
        q.sql,
        /url_decode|url_extract_parameter|from_base64/,
        `${q.name} decodes nothing itself`,
      );
    }
    const sql = findNamedQuery(
      namedQueries(eventsTableFor(EVENTS_VIEW, "legacy")),
      "self-describing-events-by-schema",
    ).sql;
    // The view's unstruct_event and contexts hold the decoded JSON texts, wrapper included.
    assert.match(sql, /json_extract_scalar\(unstruct_event, '\$\.data\.schema'\)/);
    assert.match(sql, /json_extract\(contexts, '\$\.data'\) AS array\(json\)/);
  });
});
