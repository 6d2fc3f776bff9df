/**
 * The `events` view and the reader speak one schema: the columns of the one parameter map
 * (collector/analytics/canonicalEvent.ts). The official tracker's events (tracker-core, the
 * library inside the browser tracker) are written as CloudFront log lines, read back by the
 * reader (logs/canonicalEvent.ts) and run through the view's generated SQL (test/support/
 * trinoEval.ts evaluates its Trino parse tree), and both must give the same canonical values.
 */
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
import {
  CANONICAL_COLUMNS,
  mappedParameters,
  PARAMETERS_WITHOUT_COLUMN,
} from "../../../collector/analytics/canonicalEvent";
import {
  columnsFor,
  EVENTS_TABLE,
  legacyColumns,
  requestsTableFor,
  TableFields,
} from "../../../collector/analytics/eventsTable";
import { eventsViewColumns, eventsViewSql } from "../../../collector/analytics/eventsView";
import { FIELD_SETS, LEGACY_FIELD_NAMES } from "../../../collector/eventLogs/logFields";
import { AccessLogParser } from "../../../logs/accessLog";
import { formatAccessLog, formatV2JsonLog, pixelHitRow } from "../../../logs/accessLogFormat";
import { CanonicalEvent, servedCanonicalEvent } from "../../../logs/canonicalEvent";
import { encodeTrackerQuery } from "../../../logs/trackerEvent";
import { Row, runQuery, SqlTimestamp, SqlValue } from "../../support/trinoEval";
import { trinoSyntaxErrors } from "../../support/trinoParser";

const SITE = "https://www.example.com";
const LONG_QUERY = Array.from({ length: 120 }, (_, i) => `f${i}=${"x".repeat(40)}`).join("&");
const visitor: SelfDescribingJson = {
  schema: "iglu:com.example/visitor/jsonschema/1-0-0",
  data: { tier: "gold", note: "50% & more" },
};
const checkout: SelfDescribingJson = {
  schema: "iglu:com.example/checkout_step/jsonschema/1-0-0",
  data: { step: 2, label: "Kasse ✓ <?>" },
};

/** The tracker's events, as tracker-core builds them, with what the browser tracker adds. */
function trackerEvents(base64: boolean): Payload[] {
  const core = trackerCore({ base64 });
  core.setAppId("shop");
  core.setPlatform("web");
  core.setTrackerNamespace("sp");
  core.setTrackerVersion("js-4.10.1");
  core.setScreenResolution("1920", "1080");
  core.setViewport("1280", "720");
  core.setColorDepth("24");
  core.setTimezone("Europe/Berlin");
  core.setLang("de-DE");
  const browser = (pb: PayloadBuilder) => {
    // What browser-tracker-core adds to every event (its addBrowserData).
    pb.add("duid", "0d4f3c2b-1a09-4e8d-9c7b-6a5f4e3d2c1b");
    pb.add("sid", "6f1c8b9e-2d5a-4c1e-9a0b-7e3f2d1c0b9a");
    pb.add("vid", "3");
    pb.add("cookie", "1");
    pb.add("cs", "UTF-8");
    pb.add("ds", "1280x3400");
    pb.add("stm", "1715940942123");
    return pb;
  };
  const track = (pb: PayloadBuilder, context?: SelfDescribingJson[]) => {
    const payload = core.track(browser(pb), context, 1715940942000);
    assert.ok(payload);
    return payload;
  };
  return [
    track(buildPageView({ pageUrl: `${SITE}/shop?a=1&b=2#top`, pageTitle: "50% off & more" }), [visitor]),
    track(buildStructEvent({ category: "basket & co", action: "add", label: "SKU 1", value: 2.5 })),
    track(buildSelfDescribingEvent({ event: checkout }), [visitor]),
    track(buildPageView({ pageUrl: `${SITE}/search?${LONG_QUERY}`, pageTitle: "Search" })),
  ];
}

/** Hand-made requests the edge serves and logs like any other. */
const ODD_QUERIES: Record<string, string> = {
  "a bad escape": "e=pv&eid=bad-1&url=%ZZ&page=x",
  "damaged base64": "e=ue&eid=bad-2&ue_px=eyJzY2hlbWEiOi*&cx=e30",
  "plain JSON that is not JSON": "e=ue&eid=bad-3&ue_pr=%7Bnope&co=%5B%5D",
  "an unknown event code and odd numbers": "e=zz&eid=bad-4&vid=x3&res=1920*1080&se_va=1e5&dtm=soon&cookie=2",
  "empty values": "e=&eid=&aid=&url=&vp=",
  "a + that was not encoded": "e=se&eid=bad-6&se_ca=a+b&se_la=c%2Bd",
};

function queryOf(payload: Payload): string {
  return encodeTrackerQuery(Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, String(v)])));
}

interface Layout {
  name: string;
  fields: TableFields;
  /** The log file's text for these rows. */
  file(rows: Record<string, string>[]): string;
  /** A log line's fields as the Glue table's row (what the SerDe hands Athena). */
  tableRow(logged: Record<string, string>): Row;
}

const legacyTypes = new Map(legacyColumns().map((c) => [c.name, c.type]));

const LAYOUTS: Layout[] = [
  {
    name: "legacy W3C",
    fields: { layout: "legacy" },
    file: (rows) => formatAccessLog(rows),
    // LazySimpleSerDe: `-` in a number column is NULL; text columns hold the value as logged.
    tableRow: (logged) =>
      Object.fromEntries(
        legacyColumns().map((c, i) => {
          const raw = logged[LEGACY_FIELD_NAMES[i]];
          const numeric = ["int", "bigint", "double"].includes(legacyTypes.get(c.name) ?? "");
          return [c.name, numeric ? (raw === "-" ? null : Number(raw)) : raw];
        }),
      ),
  },
  {
    name: "v2 JSON (privacy fields)",
    fields: { layout: "v2", recordFields: FIELD_SETS.privacy },
    file: (rows) => formatV2JsonLog(rows, FIELD_SETS.privacy),
    // The OpenX JSON SerDe: every column a string, as logged; partitions from the path.
    tableRow: (logged) => ({
      ...Object.fromEntries(
        columnsFor(FIELD_SETS.privacy, "json").map((c, i) => [c.name, logged[FIELD_SETS.privacy[i]]]),
      ),
      distributionid: "E2EXAMPLE",
      year: "2024",
      month: 5,
      day: 17,
      hour: 10,
    }),
  },
];

/** Reads a file as `npm run logs -- --format jsonl` does; also returns each line's fields as logged. */
function readBoth(layout: Layout, rows: Record<string, string>[]) {
  const reader: CanonicalEvent[] = [];
  const logged: Record<string, string>[] = [];
  const parser = new AccessLogParser("t.log", (record) => {
    const fields: Record<string, string> = {};
    for (const name of record.header.names) fields[name] = record.getLogged(name) ?? "-";
    logged.push(fields);
    const event = servedCanonicalEvent(record);
    if (event !== undefined) reader.push(event);
  });
  parser.push(layout.file(rows));
  parser.end();
  assert.strictEqual(parser.report.badLines, 0, JSON.stringify(parser.report.problems));
  const sql = eventsViewSql(requestsTableFor(EVENTS_TABLE, layout.fields));
  // One S3 object: decodedRequests decides the encoding per file from Athena's "$path".
  const tableRows = logged.map((l) => ({ ...layout.tableRow(l), $path: "s3://logs/cloudfront/prod/t.gz" }));
  const view = runQuery(sql, { [EVENTS_TABLE]: tableRows }).map(viewRowAsJson);
  return { reader, view };
}

/** A view row as the JSONL writes it: timestamps as Athena prints them, partitions dropped. */
function viewRowAsJson(row: Row): CanonicalEvent {
  const out: CanonicalEvent = {};
  for (const { name } of CANONICAL_COLUMNS) {
    const value: SqlValue = row[name];
    assert.ok(!Buffer.isBuffer(value), `${name} is not varbinary`);
    out[name] = value instanceof SqlTimestamp ? value.toString() : (value as CanonicalEvent[string]);
  }
  return out;
}

/** The SQL with every `try(...)` call cut out, parentheses balanced (no parenthesis in strings). */
function withoutTryCalls(sql: string): string {
  let out = "";
  for (let i = 0; i < sql.length;) {
    if (sql.startsWith("try(", i) && !/[a-z_]/.test(sql[i - 1] ?? "")) {
      let depth = 0;
      let j = i + 3;
      for (; j < sql.length; j++) {
        if (sql[j] === "(") depth++;
        else if (sql[j] === ")" && --depth === 0) break;
      }
      i = j + 1;
    } else out += sql[i++];
  }
  return out;
}

describe("the events view and the reader: one map, the same values", () => {
  it("the reader's keys and the view's columns are the map's, in its order", () => {
    const names = CANONICAL_COLUMNS.map((c) => c.name);
    assert.strictEqual(new Set(names).size, names.length, "no column twice");
    for (const layout of LAYOUTS) {
      const table = requestsTableFor(EVENTS_TABLE, layout.fields);
      const sql = eventsViewSql(table);
      // The outer SELECT's aliases, as written in the SQL: the view's columns as Athena sees them.
      const outer = sql.slice(0, sql.indexOf("\nFROM ("));
      const aliases = [...outer.matchAll(/ AS "([a-z_]+)",?$|^ {2}"([a-z_]+)",?$/gm)].map(
        (m) => m[1] ?? m[2],
      );
      const declared = eventsViewColumns(table).map((c) => c.name);
      assert.deepStrictEqual(aliases, declared, layout.name);
      assert.deepStrictEqual(declared.slice(0, names.length), names, layout.name);
      const { reader } = readBoth(layout, [pixelHitRow(queryOf(trackerEvents(true)[0]))]);
      assert.deepStrictEqual(Object.keys(reader[0]), names, `${layout.name}: the reader's JSON keys`);
    }
  });

  it("names the protocol's parameters it leaves out, and never stores the IP", () => {
    const mapped = mappedParameters();
    for (const listed of Object.keys(PARAMETERS_WITHOUT_COLUMN).flatMap((k) => k.split(", "))) {
      assert.ok(!mapped.includes(listed), `${listed} is both mapped and listed as without a column`);
    }
    assert.ok(!CANONICAL_COLUMNS.some((c) => c.name === "user_ipaddress"));
    assert.ok(Object.hasOwn(PARAMETERS_WITHOUT_COLUMN, "ip"));
  });

  for (const layout of LAYOUTS) {
    describe(`over ${layout.name}`, () => {
      it("the SQL parses with the Trino grammar, every decoding call inside try()", () => {
        const sql = eventsViewSql(requestsTableFor(EVENTS_TABLE, layout.fields));
        assert.deepStrictEqual(trinoSyntaxErrors(sql), []);
        const unguarded = withoutTryCalls(sql);
        for (const fn of ["url_decode", "from_base64", "json_parse", "date_parse"]) {
          assert.ok(sql.includes(`${fn}(`), `the view calls ${fn}`);
          assert.ok(!unguarded.includes(`${fn}(`), `${fn} outside try(): ${unguarded.slice(0, 300)}`);
        }
      });

      for (const base64 of [true, false]) {
        it(`the tracker's four events agree (base64 ${base64}: ${base64 ? "ue_px, cx" : "ue_pr, co"})`, () => {
          const rows = trackerEvents(base64).map((p) => pixelHitRow(queryOf(p), { "c-country": "DE" }));
          const { reader, view } = readBoth(layout, rows);
          assert.deepStrictEqual(view, reader);
          const [pv, se, ue, long] = reader;
          // The values themselves, so that both sides being wrong the same way fails too.
          assert.deepStrictEqual(
            [pv.event, pv.page_url, pv.page_title, pv.page_urlhost, pv.page_urlpath, pv.page_urlquery],
            [
              "page_view",
              `${SITE}/shop?a=1&b=2#top`,
              "50% off & more",
              "www.example.com",
              "/shop",
              "a=1&b=2",
            ],
          );
          assert.deepStrictEqual(
            [pv.app_id, pv.platform, pv.name_tracker, pv.v_tracker, pv.br_lang, pv.os_timezone],
            ["shop", "web", "sp", "js-4.10.1", "de-DE", "Europe/Berlin"],
          );
          assert.deepStrictEqual(
            [pv.dvce_screenwidth, pv.dvce_screenheight, pv.br_viewwidth, pv.doc_height, pv.domain_sessionidx],
            [1920, 1080, 1280, 3400, 3],
          );
          assert.deepStrictEqual(
            [pv.collector_tstamp, pv.dvce_created_tstamp, pv.dvce_sent_tstamp, pv.br_cookies],
            ["2024-05-17 10:15:42.000", "2024-05-17 10:15:42.000", "2024-05-17 10:15:42.123", true],
          );
          assert.strictEqual(
            pv.geo_country,
            layout.fields.layout === "v2" ? "DE" : null,
            "c-country where logged",
          );
          assert.match(String(pv.useragent), /^Mozilla\/5\.0 \(Windows NT 10\.0; Win64; x64\)/);
          assert.deepStrictEqual(JSON.parse(String(pv.contexts)).data, [visitor]);
          assert.deepStrictEqual(
            [se.event, se.se_category, se.se_action, se.se_label, se.se_value],
            ["struct", "basket & co", "add", "SKU 1", 2.5],
          );
          assert.strictEqual(ue.event, "unstruct");
          assert.deepStrictEqual(JSON.parse(String(ue.unstruct_event)).data, checkout);
          assert.deepStrictEqual(JSON.parse(String(ue.contexts)).data, [visitor]);
          assert.strictEqual(long.page_url, `${SITE}/search?${LONG_QUERY}`);
          assert.strictEqual(long.page_urlquery, LONG_QUERY);
          assert.match(String(pv.event_id), /^[0-9a-f-]{36}$/);
        });
      }

      it("odd requests cost their own values, never the row or the query, the same on both sides", () => {
        const rows = Object.values(ODD_QUERIES).map((q) => pixelHitRow(q));
        const { reader, view } = readBoth(layout, rows);
        assert.deepStrictEqual(view, reader);
        const byId = (id: string) => reader.find((e) => e.event_id === id) as CanonicalEvent;
        assert.strictEqual(reader.length, rows.length, "every served hit is a row");
        // A bad escape no tracker sends does not decode: that value is NULL, the rest of the event stays.
        assert.deepStrictEqual([byId("bad-1").page_url, byId("bad-1").page_title], [null, "x"]);
        assert.deepStrictEqual([byId("bad-2").unstruct_event, byId("bad-2").contexts], [null, "{}"]);
        assert.deepStrictEqual([byId("bad-3").unstruct_event, byId("bad-3").contexts], [null, "[]"]);
        const odd = byId("bad-4");
        assert.deepStrictEqual(
          [
            odd.event,
            odd.domain_sessionidx,
            odd.dvce_screenwidth,
            odd.se_value,
            odd.dvce_created_tstamp,
            odd.br_cookies,
          ],
          [null, null, null, 100000, null, null],
        );
        const empty = reader.find((e) => e.event_id === null) as CanonicalEvent;
        assert.deepStrictEqual(
          [empty.event, empty.app_id, empty.page_url, empty.br_viewwidth],
          [null, null, null, null],
        );
        assert.deepStrictEqual([byId("bad-6").se_category, byId("bad-6").se_label], ["a b", "c+d"]);
      });

      it("a hit answered with a redirect or an error is no row (the tracker sends it again)", () => {
        const query = queryOf(trackerEvents(true)[0]);
        const rows = ["200", "304", "301", "403", "502"].map((s) => pixelHitRow(query, { "sc-status": s }));
        const { reader, view } = readBoth(layout, rows);
        assert.strictEqual(reader.length, 2);
        assert.deepStrictEqual(view, reader);
      });
    });
  }
});
