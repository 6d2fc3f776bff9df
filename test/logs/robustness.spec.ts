/**
 * Files no CloudFront delivery should write, read without losing what can be read and without
 * holding more than a line in memory: a file with no newline, a gzip member with a bad checksum,
 * a header without the query field.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { readLogs } from "../../commands/logs";
import { AccessLogParser, MAX_LINE_CHARS, readAccessLogFile } from "../../logs/accessLog";
import { CLOUDFRONT_FIELDS } from "../../logs/accessLogFields";
import { formatAccessLog, pixelHitRow } from "../../logs/accessLogFormat";
import { encodeTrackerQuery } from "../../logs/trackerEvent";
import { makeTempDir } from "../support/tempDir";

const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => pixelHitRow(encodeTrackerQuery({ e: "pv", eid: `e-${i}` })));

describe("the reader on damaged and foreign files", () => {
  const temp = makeTempDir("robustness");
  after(() => temp.cleanup());

  it("holds at most one line's worth of a file with no newline, and reports the line once", () => {
    const parser = new AccessLogParser("zeros", () => assert.fail("no record in zeros"));
    const chunk = "\0".repeat(64 * 1024);
    let most = 0;
    for (let i = 0; i < 64; i++) {
      parser.push(chunk);
      most = Math.max(most, parser.bufferedChars);
    }
    parser.end();
    assert.ok(most <= MAX_LINE_CHARS, `held ${most} characters`);
    assert.deepStrictEqual(
      parser.report.problems.map((p) => [p.line, p.kind]),
      [[1, "over-long"]],
    );
    assert.match(parser.report.problems[0].message, /a line of 4194304 characters or more/);
    assert.strictEqual(parser.report.badLines, 1);
  });

  it("reads 40 MB of gzipped zeros as one over-long line, then goes on to the next file", async () => {
    const zeros = path.join(temp.dir, "zeros.gz");
    fs.writeFileSync(zeros, zlib.gzipSync(Buffer.alloc(40 * 1024 * 1024)));
    const good = path.join(temp.dir, "good.gz");
    fs.writeFileSync(good, zlib.gzipSync(formatAccessLog(rows(2))));
    const { summary } = await readLogs([zeros, good]);
    assert.strictEqual(summary.events, 2);
    assert.strictEqual(summary.badLines, 1);
    assert.deepStrictEqual(
      summary.problems.map((p) => [path.basename(p.file), p.line, p.kind]),
      [["zeros.gz", 1, "over-long"]],
    );
  });

  it("an over-long line between good ones costs that line only", () => {
    const records: number[] = [];
    const parser = new AccessLogParser("long", (r) => records.push(r.line));
    const text = formatAccessLog(rows(1)) + "x".repeat(MAX_LINE_CHARS + 10) + "\n" + formatAccessLog(rows(1));
    for (let at = 0; at < text.length; at += 1000) parser.push(text.slice(at, at + 1000));
    parser.end();
    assert.deepStrictEqual(records, [3, 7]);
    assert.deepStrictEqual(
      parser.report.problems.map((p) => [p.line, p.kind]),
      [[4, "over-long"]],
    );
  });

  it("keeps every line of a gzip member whose checksum is wrong, then reports the file", async () => {
    const n = 3000;
    const gz = zlib.gzipSync(formatAccessLog(rows(n)));
    gz[gz.length - 8] ^= 0xff; // the CRC-32 in the member's trailer
    const file = path.join(temp.dir, "badcrc.gz");
    fs.writeFileSync(file, gz);
    // zcat's answer: every line inflates, the check fails at the end.
    assert.throws(() => zlib.gunzipSync(gz), /incorrect data check/);
    const lines: number[] = [];
    const report = await readAccessLogFile(file, (r) => lines.push(r.line));
    assert.strictEqual(lines.length, n, "every line zlib can inflate");
    assert.strictEqual(lines[n - 1], n + 2);
    assert.match(
      report.fileError?.message ?? "",
      /gzip data is corrupt or truncated \(incorrect data check\)/,
    );
  });

  it("still reads a truncated file up to where it breaks off, and says so", async () => {
    const gz = zlib.gzipSync(formatAccessLog(rows(3000)));
    const file = path.join(temp.dir, "cut.gz");
    fs.writeFileSync(file, gz.subarray(0, Math.floor(gz.length / 2)));
    const report = await readAccessLogFile(file, () => undefined);
    assert.ok(report.records > 100, `${report.records} records`);
    assert.match(report.fileError?.message ?? "", /corrupt or truncated/);
  });

  it("reports a #Fields header without cs-uri-query as a problem of its file, not events: 0", async () => {
    const fields = CLOUDFRONT_FIELDS.filter((f) => f !== "cs-uri-query");
    const file = path.join(temp.dir, "noquery.gz");
    fs.writeFileSync(file, zlib.gzipSync(formatAccessLog(rows(2), fields)));
    const { summary } = await readLogs([file]);
    assert.strictEqual(summary.events, 0);
    assert.strictEqual(summary.suspectFiles, 1);
    assert.deepStrictEqual(
      summary.problems.map((p) => p.kind),
      ["no-query-field"],
    );
    assert.match(summary.problems[0].message, /no cs-uri-query field in its #Fields header/);
  });
});

describe("finding log files on disk", () => {
  const temp = makeTempDir("symlinks");
  after(() => temp.cleanup());

  it("follows symbolic links to files and directories, and reads a loop and a double link once", async () => {
    const { listLogFiles } = await import("../../logs/localLogFiles");
    const store = path.join(temp.dir, "store");
    fs.mkdirSync(path.join(store, "hour=09"), { recursive: true });
    const real = path.join(store, "hour=09", "a.gz");
    fs.writeFileSync(real, zlib.gzipSync(formatAccessLog(rows(1))));
    const view = path.join(temp.dir, "view");
    fs.mkdirSync(view);
    fs.symlinkSync(real, path.join(view, "linked.gz"));
    fs.symlinkSync(store, path.join(view, "store"));
    fs.symlinkSync(view, path.join(view, "loop"));
    fs.symlinkSync(path.join(temp.dir, "nowhere"), path.join(view, "dangling.gz"));
    const files = await listLogFiles(view);
    assert.deepStrictEqual(
      files.map((f) => path.relative(view, f)),
      ["linked.gz"],
      "the file behind two links once, no loop, no dangling link",
    );
    const { summary } = await readLogs([view]);
    assert.strictEqual(summary.files, 1);
    assert.strictEqual(summary.events, 1);
  });
});
