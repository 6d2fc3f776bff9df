/**
 * The reader on what standard logging v2 writes: JSON or W3C gzip files under the Hive partition
 * path of the collector's layout, with the privacy fields. Summary, lookup and decoding must be the
 * same as for the same requests in a legacy file; the reader names the mode it found.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { main, readLogs } from "../../commands/logs";
import { FIELD_SETS } from "../../collector/eventLogs/logFields";
import { v2KeyPrefix } from "../../collector/eventLogs/logLayout";
import { AccessLogParser, AccessLogRecord } from "../../logs/accessLog";
import { CLOUDFRONT_FIELDS } from "../../logs/accessLogFields";
import { formatAccessLog, formatV2JsonLog, formatV2W3cLog, pixelHitRow } from "../../logs/accessLogFormat";
import { encodeTrackerQuery } from "../../logs/trackerEvent";
import { captureOutput } from "../support/captureOutput";
import { makeTempDir } from "../support/tempDir";

const EID = "5e1f0c2a-7b3d-4e6f-8a9b-0c1d2e3f4a5b";
const HOUR = new Date("2026-11-30T09:00:00Z");
const DIST = "E2EXAMPLE1234";

const ROWS: Record<string, string>[] = [
  pixelHitRow(encodeTrackerQuery({ e: "pv", eid: "someone-else", url: "https://shop.example/?q=a b" })),
  pixelHitRow(
    encodeTrackerQuery({
      e: "ue",
      eid: EID,
      ue_px: Buffer.from(
        JSON.stringify({
          schema: "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0",
          data: { schema: "iglu:com.example/signup/jsonschema/1-0-0", data: { plan: "pro – 20 %" } },
        }),
      ).toString("base64url"),
    }),
    { "sc-status": "200" },
  ),
  pixelHitRow("", { "cs-uri-stem": "/favicon.ico", "sc-status": "403" }),
  pixelHitRow("e=pv", { "cs-method": "POST", "sc-status": "403" }),
].map((row) => ({ ...row, "c-country": "DE", asn: "3320", "timestamp(ms)": "1764493542123" }));

/** Writes one gzip file at `<dir>/<key>` and returns its path. */
function writeAt(dir: string, key: string, text: string): string {
  const file = path.join(dir, ...key.split("/"));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, zlib.gzipSync(text));
  return file;
}

const v2Key = (unique: string) =>
  `${v2KeyPrefix("cloudfront/prod/", { distributionId: DIST, time: HOUR })}${DIST}.2026-11-30-09.${unique}.gz`;

describe("the reader on standard logging v2 files", () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (temp = makeTempDir("v2-logs")));
  afterEach(() => temp.cleanup());

  for (const [format, text] of [
    ["json", formatV2JsonLog(ROWS, FIELD_SETS.privacy)],
    ["w3c", formatV2W3cLog(ROWS, FIELD_SETS.privacy)],
  ] as const) {
    it(`reads ${format} gzip under the partition path: summary and lookup as for a legacy file`, async () => {
      const legacyDir = path.join(temp.dir, "legacy");
      writeAt(
        legacyDir,
        `cloudfront/prod/${DIST}.2026-11-30-09.aaaa.gz`,
        formatAccessLog(ROWS, CLOUDFRONT_FIELDS),
      );
      const v2Dir = path.join(temp.dir, "v2");
      writeAt(v2Dir, v2Key("bbbb"), text);

      const legacy = await readLogs([legacyDir], EID);
      const v2 = await readLogs([v2Dir], EID);
      assert.deepStrictEqual(legacy.summary.byMode, { legacy: 1 });
      assert.deepStrictEqual(v2.summary.byMode, { [`v2 ${format}`]: 1 });
      // Everything but the mode the files were written in is the same.
      assert.deepStrictEqual({ ...v2.summary, byMode: {} }, { ...legacy.summary, byMode: {} });
      assert.deepStrictEqual(v2.summary.problems, []);
      assert.strictEqual(v2.summary.events, 2);
      assert.deepStrictEqual(v2.summary.bySchema, { "iglu:com.example/signup/jsonschema/1-0-0": 1 });

      assert.strictEqual(v2.matches.length, 1);
      // geo_country is v2's c-country, which legacy files do not log.
      const strip = (m: (typeof v2.matches)[number]) => ({
        ...m,
        file: "",
        line: 0,
        event: { ...m.event, geo_country: null },
      });
      assert.deepStrictEqual(strip(v2.matches[0]), strip(legacy.matches[0]));
      assert.match(JSON.stringify(v2.matches[0]), /pro – 20 %/);
    });
  }

  it("keeps the v2-only fields and has no IP in a privacy-set record", () => {
    const records: AccessLogRecord[] = [];
    const parser = new AccessLogParser("x.json", (r) => records.push(r));
    parser.push(formatV2JsonLog(ROWS, FIELD_SETS.privacy));
    parser.end();
    assert.strictEqual(parser.report.format, "json");
    assert.strictEqual(records[0].get("c-country"), "DE");
    assert.strictEqual(records[0].get("c-ip"), undefined);
    assert.strictEqual(records[0].get("cs(Referer)"), ROWS[0]["cs(Referer)"]);
  });

  it("takes numbers and null in JSON, and reports a broken line without losing the rest", () => {
    const records: AccessLogRecord[] = [];
    const parser = new AccessLogParser("x.json", (r) => records.push(r));
    parser.push('{"date":"2026-11-30","sc-status":200,"cs-uri-query":null}\n{"date":\n');
    parser.push('["an array"]\n{"cs(Referer)":"a%zz","cs-uri-query":"url=https%253A"}\n{"sc-bytes":"1"}\n');
    parser.end();
    assert.deepStrictEqual(
      records.map((r) => r.toObject()),
      [{ date: "2026-11-30", "sc-status": "200", "cs-uri-query": "" }, { "sc-bytes": "1" }],
    );
    // The query is percent-encoded on top (a tracker's `%3A` escaped again), so a `%` not
    // followed by two hex digits, in any field, is a damaged line.
    assert.deepStrictEqual(
      parser.report.problems.map((p) => [p.line, p.kind]),
      [
        [2, "bad-json"],
        [3, "bad-json"],
        [4, "bad-encoding"],
      ],
    );
    assert.strictEqual(parser.report.dataLines, 5);
  });

  it("keeps a bad escape of a query held as received: the client sent it, the line is whole", () => {
    const records: AccessLogRecord[] = [];
    const parser = new AccessLogParser("x.json", (r) => records.push(r));
    parser.push('{"cs-method":"GET","cs-uri-stem":"/i","cs-uri-query":"e=pv&url=%ZZ&eid=x"}\n');
    parser.end();
    assert.deepStrictEqual(parser.report.problems, []);
    assert.strictEqual(parser.report.encoding, "as received");
    assert.strictEqual(records[0].get("cs-uri-query"), "e=pv&url=%ZZ&eid=x");
  });

  it("npm run logs names the mode it found, legacy and v2 side by side after a switch", async () => {
    writeAt(
      temp.dir,
      `cloudfront/prod/${DIST}.2026-11-30-08.aaaa.gz`,
      formatAccessLog(ROWS, CLOUDFRONT_FIELDS),
    );
    writeAt(temp.dir, v2Key("bbbb"), formatV2JsonLog(ROWS, FIELD_SETS.privacy));
    writeAt(temp.dir, v2Key("cccc"), formatV2JsonLog(ROWS, FIELD_SETS.privacy));
    const output = captureOutput();
    const code = await main([temp.dir], output);
    assert.strictEqual(code, 0, output.stderr.join("\n"));
    const text = output.stdout.join("\n");
    assert.match(text, /^mode: +legacy \(1 file\), v2 json \(2 files\)$/m);
    assert.match(text, /events: +6 /);
  });
});
