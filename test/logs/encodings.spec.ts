/**
 * The reader under either v2 JSON encoding (collector/eventLogs/logEncoding.ts): the official
 * tracker's requests written percent-encoded on top of the request, as legacy W3C files are, and
 * as received, must read back as the same events, parameters and lookups, with the encoding named.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { readLogs } from "../../commands/logs";
import { FIELD_SETS } from "../../collector/eventLogs/logFields";
import { AccessLogParser, AccessLogRecord } from "../../logs/accessLog";
import { formatV2JsonLog, pixelHitRow, WrittenEncoding } from "../../logs/accessLogFormat";
import { encodeTrackerQuery } from "../../logs/trackerEvent";
import { contextsParam, selfDescribingEventParam } from "../../logs/trackerPayload";
import { makeTempDir } from "../support/tempDir";

const SCHEMA = "iglu:com.example/checkout_step/jsonschema/1-0-0";
const CONTEXT = "iglu:com.example/basket/jsonschema/1-0-0";

/** The four events issue #16 found read back wrong from a file written as received. */
const SENT: Record<string, string>[] = [
  { e: "pv", eid: "e-pv", url: "https://www.example.com/shop?a=1&b=2", page: "50% off & more" },
  { e: "se", eid: "e-se", url: "https://www.example.com/", se_ca: "a&b=c", se_ac: "add 50% + more" },
  {
    e: "ue",
    eid: "e-ue",
    url: "https://www.example.com/shop/basket?step=2",
    ...selfDescribingEventParam({ schema: SCHEMA, data: { step: 2, label: "Zahlung & Versand" } }),
    ...contextsParam([{ schema: CONTEXT, data: { items: 3 } }]),
  },
  { e: "pv", eid: "e-long", url: `https://www.example.com/search?${"q=a%20b&".repeat(300)}` },
];

const ROWS = SENT.map((params) =>
  pixelHitRow(encodeTrackerQuery(params), { "c-country": "DE", "timestamp(ms)": "1764493542123" }),
);

function writeGz(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, zlib.gzipSync(text));
  return file;
}

function parse(text: string): { records: AccessLogRecord[]; parser: AccessLogParser } {
  const records: AccessLogRecord[] = [];
  const parser = new AccessLogParser("x.json", (r) => records.push(r));
  parser.push(text);
  parser.end();
  return { records, parser };
}

describe("v2 JSON files, percent-encoded on top or as received", () => {
  const temp = makeTempDir("encodings");
  after(() => temp.cleanup());
  const files = Object.fromEntries(
    (["percent-encoded", "as received"] as WrittenEncoding[]).map((encoding) => [
      encoding,
      writeGz(
        temp.dir,
        `${encoding.replace(" ", "-")}.gz`,
        formatV2JsonLog(ROWS, FIELD_SETS.privacy, encoding),
      ),
    ]),
  ) as Record<WrittenEncoding, string>;

  it("are written differently: a tracker's %3A is %253A on top, %3A as received", () => {
    const text = (f: string) => zlib.gunzipSync(fs.readFileSync(f)).toString();
    assert.match(text(files["percent-encoded"]), /url=https%253A%252F%252F/);
    assert.match(text(files["as received"]), /url=https%3A%2F%2F/);
    assert.match(
      text(files["as received"]),
      /Mozilla\/5\.0 \(Windows/,
      "the user agent as received, spaces and all",
    );
  });

  for (const encoding of ["percent-encoded", "as received"] as WrittenEncoding[]) {
    it(`names the encoding of a file ${encoding}`, async () => {
      const { summary } = await readLogs([files[encoding]]);
      assert.deepStrictEqual(summary.byEncoding, { [encoding]: 1 });
      assert.deepStrictEqual(summary.problems, []);
    });
  }

  it("give the same summary", async () => {
    const { summary: a } = await readLogs([files["percent-encoded"]]);
    const { summary: b } = await readLogs([files["as received"]]);
    assert.deepStrictEqual({ ...a, byEncoding: {} }, { ...b, byEncoding: {} });
    assert.strictEqual(a.events, 4);
    assert.deepStrictEqual(a.byEventType, { pv: 2, se: 1, ue: 1 });
    assert.deepStrictEqual(a.bySchema, { [SCHEMA]: 1 });
  });

  for (const sent of SENT) {
    it(`give the same lookup of ${sent.eid}: every parameter as the tracker sent it`, async () => {
      const found = await Promise.all(
        (["percent-encoded", "as received"] as WrittenEncoding[]).map(async (encoding) => {
          const { matches } = await readLogs([files[encoding]], sent.eid);
          assert.strictEqual(matches.length, 1, encoding);
          const { file, ...event } = matches[0];
          assert.ok(file.length > 0);
          return event;
        }),
      );
      assert.deepStrictEqual(found[0], found[1]);
      assert.deepStrictEqual(found[0].params, sent);
      assert.deepStrictEqual(found[0].problems, []);
    });
  }

  it("a self-describing event keeps its event and context whole", async () => {
    const { matches } = await readLogs([files["as received"]], "e-ue");
    assert.deepStrictEqual(matches[0].selfDescribing, {
      schema: SCHEMA,
      data: { step: 2, label: "Zahlung & Versand" },
    });
    assert.deepStrictEqual(matches[0].contexts, [{ schema: CONTEXT, data: { items: 3 } }]);
  });

  it("a file that fits neither is reported, and its lines are kept as logged", async () => {
    const mixed = [
      formatV2JsonLog(ROWS.slice(0, 1), FIELD_SETS.privacy, "as received"),
      formatV2JsonLog(ROWS.slice(1, 2), FIELD_SETS.privacy, "percent-encoded"),
    ].join("");
    const { records, parser } = parse(mixed);
    assert.strictEqual(parser.report.encoding, "neither");
    assert.deepStrictEqual(
      parser.report.fileProblems.map((p) => p.kind),
      ["unknown-encoding"],
    );
    assert.match(parser.report.fileProblems[0].message, /line 1 .* as received, line 2 .* percent-encoded/);
    assert.deepStrictEqual(
      records.map((r) => r.get("cs-uri-query")),
      [
        ROWS[0]["cs-uri-query"],
        formatV2JsonLog(ROWS.slice(1, 2), FIELD_SETS.privacy).split('"cs-uri-query":"')[1].split('"')[0],
      ],
    );
    const file = writeGz(temp.dir, "mixed.gz", mixed);
    const { summary } = await readLogs([file]);
    assert.strictEqual(summary.suspectFiles, 1);
    assert.deepStrictEqual(summary.byEncoding, { neither: 1 });
  });

  it("a file whose lines tell nothing is indistinct, and reads the same either way", () => {
    const plain = [pixelHitRow("e=pv&page=Hello+World&tv=pixel-1")];
    const a = parse(formatV2JsonLog(plain, FIELD_SETS.privacy, "percent-encoded"));
    const b = parse(formatV2JsonLog(plain, FIELD_SETS.privacy, "as received"));
    assert.deepStrictEqual(
      [a.parser.report.encoding, b.parser.report.encoding],
      ["indistinct", "indistinct"],
    );
    assert.strictEqual(a.records[0].get("cs-uri-query"), b.records[0].get("cs-uri-query"));
  });
});
