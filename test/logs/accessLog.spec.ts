import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Readable } from "stream";
import * as zlib from "zlib";
import { AccessLogParser, AccessLogRecord, readAccessLog, readAccessLogFile } from "../../logs/accessLog";
import { CLOUDFRONT_FIELDS } from "../../logs/accessLogFields";
import { formatAccessLog, pixelHitRow } from "../../logs/accessLogFormat";
import { makeTempDir } from "../support/tempDir";

function parseText(text: string, file = "test.log"): { records: AccessLogRecord[]; parser: AccessLogParser } {
  const records: AccessLogRecord[] = [];
  const parser = new AccessLogParser(file, (record) => records.push(record));
  parser.push(text);
  parser.end();
  return { records, parser };
}

// A line written out by hand in the layout of AWS's field list (33 fields), not by our own writer.
const FIELDS_33 = `#Fields: ${CLOUDFRONT_FIELDS.join(" ")}`;
const LINE_33 = [
  "2019-12-04",
  "21:02:31",
  "LAX1",
  "392",
  "192.0.2.100",
  "GET",
  "d111111abcdef8.cloudfront.net",
  "/i",
  "200",
  "https://www.example.com/",
  "Mozilla/5.0%20(Windows%20NT%2010.0)",
  "e=pv&page=Hello%2520World&url=https%253A%252F%252Fwww.example.com%252F",
  "-",
  "Hit",
  "SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==",
  "d111111abcdef8.cloudfront.net",
  "https",
  "23",
  "0.001",
  "-",
  "TLSv1.2",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "Hit",
  "HTTP/2.0",
  "-",
  "-",
  "11040",
  "0.001",
  "Hit",
  "image/gif",
  "43",
  "-",
  "-",
].join("\t");

describe("access log reader", () => {
  it("keys a 33-field line by the header and decodes each value once", () => {
    const { records, parser } = parseText(`#Version: 1.0\n${FIELDS_33}\n${LINE_33}\n`);
    assert.strictEqual(records.length, 1);
    const record = records[0];
    assert.strictEqual(record.line, 3);
    assert.strictEqual(record.get("cs-uri-stem"), "/i");
    assert.strictEqual(record.get("cs(User-Agent)"), "Mozilla/5.0 (Windows NT 10.0)");
    // One level only: what remains is the query string exactly as the tracker sent it.
    assert.strictEqual(
      record.get("cs-uri-query"),
      "e=pv&page=Hello%20World&url=https%3A%2F%2Fwww.example.com%2F",
    );
    assert.strictEqual(record.get("cs(Cookie)"), "");
    assert.strictEqual(record.get("sc-content-len"), "43");
    assert.strictEqual(record.get("no-such-field"), undefined);
    assert.deepStrictEqual(Object.keys(record.toObject()), CLOUDFRONT_FIELDS);
    assert.deepStrictEqual(parser.report, {
      file: "test.log",
      format: "w3c",
      encoding: "percent-encoded",
      dataLines: 1,
      records: 1,
      badLines: 0,
      problems: [],
      fileProblems: [],
    });
  });

  it("reads an older 24-field file by its own header", () => {
    const fields24 = CLOUDFRONT_FIELDS.slice(0, 24);
    const line = LINE_33.split("\t").slice(0, 24).join("\t");
    const { records } = parseText(`#Version: 1.0\n#Fields: ${fields24.join(" ")}\n${line}\n`);
    assert.strictEqual(records.length, 1);
    assert.strictEqual(records[0].get("cs-protocol-version"), "HTTP/2.0");
    assert.strictEqual(records[0].get("sc-content-type"), undefined);
  });

  it("follows a header that adds, drops and reorders fields", () => {
    const fields = ["cs-uri-query", "x-future-field", "date", "cs-method", "cs-uri-stem"];
    const { records } = parseText(`#Fields: ${fields.join(" ")}\ne=pv\tnew%20thing\t2030-01-01\tGET\t/i\n`);
    assert.strictEqual(records[0].get("x-future-field"), "new thing");
    assert.strictEqual(records[0].get("cs-method"), "GET");
    assert.strictEqual(records[0].get("date"), "2030-01-01");
  });

  it("switches header when a second #Fields line appears", () => {
    const { records } = parseText("#Fields: a b\n1\t2\n#Fields: b a c\n3\t4\t5\n");
    assert.deepStrictEqual(
      records.map((r) => [r.get("a"), r.get("b"), r.get("c")]),
      [
        ["1", "2", undefined],
        ["4", "3", "5"],
      ],
    );
  });

  it("gives the same records however the text is chunked", () => {
    const text = `#Version: 1.0\r\n${FIELDS_33}\r\n${LINE_33}\r\n${LINE_33}`;
    const whole = parseText(text).records.map((r) => r.toObject());
    const records: AccessLogRecord[] = [];
    const parser = new AccessLogParser("chunked", (record) => records.push(record));
    for (let i = 0; i < text.length; i += 7) parser.push(text.slice(i, i + 7));
    parser.end();
    assert.strictEqual(whole.length, 2);
    assert.deepStrictEqual(
      records.map((r) => r.toObject()),
      whole,
    );
  });

  it("counts bad lines with their line numbers and keeps reading", () => {
    const text = [
      "stray data before the header",
      "#Version: 1.0",
      "#Fields: date cs-method cs-uri-stem",
      "2024-01-01\tGET\t/i",
      "2024-01-01\tGET",
      "2024-01-01\tGET\t/i%ZZ",
      "2024-01-01\tGET\t/%E0%A4%A",
      "2024-01-02\tGET\t/i",
      "",
    ].join("\n");
    const { records, parser } = parseText(text, "bad.log");
    assert.deepStrictEqual(
      records.map((r) => r.line),
      [4, 8],
    );
    const report = parser.report;
    assert.strictEqual(report.dataLines, 6);
    assert.strictEqual(report.badLines, 4);
    assert.deepStrictEqual(
      report.problems.map((p) => [p.file, p.line, p.kind]),
      [
        ["bad.log", 1, "no-fields-header"],
        ["bad.log", 5, "column-count"],
        ["bad.log", 6, "bad-encoding"],
        ["bad.log", 7, "bad-encoding"],
      ],
    );
    assert.match(report.problems[1].message, /2 tab-separated values, but the #Fields header names 3/);
    assert.match(report.problems[2].message, /cs-uri-stem.*\/i%ZZ/);
  });

  it("reports a file without any #Fields header once, as not an access log", () => {
    const { records, parser } = parseText("#Version: 1.0\na\tb\nc\td\n");
    assert.strictEqual(records.length, 0);
    assert.strictEqual(parser.report.badLines, 0);
    assert.strictEqual(parser.report.dataLines, 0);
    assert.deepStrictEqual(parser.report.problems, []);
    assert.strictEqual(parser.report.fileError?.kind, "unreadable");
    assert.match(parser.report.fileError?.message ?? "", /not a CloudFront access log: no #Fields header/);
  });

  it("reports data lines before a late #Fields header as one problem", () => {
    const { records, parser } = parseText("a\nb\nc\n#Fields: x y\n1\t2\n");
    assert.strictEqual(records.length, 1);
    assert.strictEqual(parser.report.badLines, 3);
    assert.deepStrictEqual(
      parser.report.problems.map((p) => [p.line, p.kind, p.message]),
      [[1, "no-fields-header", "3 data lines (lines 1-3) before any #Fields header line"]],
    );
  });

  it("counts every bad line but keeps only the first hundred in full", () => {
    const { parser } = parseText("#Fields: a b\n" + "only-one\n".repeat(150));
    assert.strictEqual(parser.report.badLines, 150);
    assert.strictEqual(parser.report.problems.length, 100);
    assert.strictEqual(parser.report.problems[99].line, 101);
  });

  describe("streams", () => {
    let temp: ReturnType<typeof makeTempDir>;
    beforeEach(() => (temp = makeTempDir("accesslog")));
    afterEach(() => temp.cleanup());

    const rows = Array.from({ length: 2000 }, (_, i) => pixelHitRow(`e=pv&eid=id-${i}&page=Page%20${i}`));

    it("reads a gzipped file written in today's layout", async () => {
      const file = path.join(temp.dir, "E2EXAMPLE.2024-05-17-10.abcd1234.gz");
      fs.writeFileSync(file, zlib.gzipSync(formatAccessLog(rows)));
      const seen: string[] = [];
      const report = await readAccessLogFile(file, (r) => seen.push(r.get("cs-uri-query") ?? ""));
      assert.strictEqual(report.records, 2000);
      assert.strictEqual(report.fileError, undefined);
      assert.strictEqual(seen[1999], "e=pv&eid=id-1999&page=Page%201999");
    });

    it("reads a plain file too", async () => {
      const file = path.join(temp.dir, "plain.log");
      fs.writeFileSync(file, formatAccessLog(rows.slice(0, 3)));
      const report = await readAccessLogFile(file, () => undefined);
      assert.strictEqual(report.records, 3);
    });

    it("decodes UTF-8 split across chunks, next to ASCII chunks", async () => {
      // CloudFront encodes non-ASCII bytes, but a hand-made file may hold them raw.
      const text = Buffer.from("#Fields: a b\nGrüße\tx\nplain\ty\n", "utf8");
      const cut = text.indexOf(0xc3) + 1; // inside the two bytes of "ü"
      const chunks = [text.subarray(0, cut), text.subarray(cut, cut + 4), text.subarray(cut + 4)];
      const values: string[] = [];
      const report = await readAccessLog(Readable.from(chunks), { file: "utf8.log", gzip: false }, (r) =>
        values.push(`${r.get("a")}/${r.get("b")}`),
      );
      assert.deepStrictEqual(values, ["Grüße/x", "plain/y"]);
      assert.strictEqual(report.fileError, undefined);
    });

    it("keeps the lines before a truncation and reports the file", async () => {
      const gz = zlib.gzipSync(formatAccessLog(rows));
      const truncated = gz.subarray(0, Math.floor(gz.length / 2));
      let count = 0;
      const report = await readAccessLog(
        Readable.from([truncated]),
        { file: "cut.gz", gzip: true },
        () => count++,
      );
      assert.ok(count > 0 && count < 2000, `read ${count} records`);
      assert.strictEqual(report.records, count);
      assert.strictEqual(report.fileError?.kind, "unreadable");
      assert.match(report.fileError?.message ?? "", /truncated/);
      assert.strictEqual(report.badLines, 0);
    });

    it("reports a file that is not gzip at all", async () => {
      const report = await readAccessLog(
        Readable.from([Buffer.from("not gzip")]),
        { file: "x.gz", gzip: true },
        () => undefined,
      );
      assert.strictEqual(report.fileError?.file, "x.gz");
      assert.match(report.fileError?.message ?? "", /corrupt or truncated/);
    });
  });
});
