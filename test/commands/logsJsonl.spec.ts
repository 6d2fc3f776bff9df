/**
 * `npm run logs -- --format jsonl`: every served tracker event as one JSON line with the `events`
 * view's columns, streamed in bounded memory, and `--event-id --json` carrying the same object.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Writable } from "stream";
import * as zlib from "zlib";
import { CANONICAL_COLUMNS } from "../../collector/analytics/canonicalEvent";
import { main, readLogs } from "../../commands/logs";
import { formatAccessLog, pixelHitRow } from "../../logs/accessLogFormat";
import { JsonlWriter } from "../../logs/jsonlExport";
import { encodeTrackerQuery } from "../../logs/trackerEvent";
import { contextsParam } from "../../logs/trackerPayload";
import { captureOutput } from "../support/captureOutput";
import { makeTempDir } from "../support/tempDir";

const NAMES = CANONICAL_COLUMNS.map((c) => c.name);
const CONTEXT = contextsParam([
  { schema: "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0", data: { id: "p-1" } },
]);

function eventRow(i: number, status = "200"): Record<string, string> {
  return pixelHitRow(
    encodeTrackerQuery({
      e: i % 2 === 0 ? "pv" : "se",
      eid: `event-${i}`,
      url: `https://www.example.com/page/${i}?q=${"x".repeat(200)}`,
      se_ca: "basket",
      dtm: String(1715940942000 + i),
      ...CONTEXT,
    }),
    { "sc-status": status },
  );
}

describe("npm run logs --format jsonl", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let outDir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir("logs-jsonl");
    outDir = makeTempDir("logs-jsonl-out");
    const rows = [eventRow(0), eventRow(1), eventRow(2, "301"), pixelHitRow("", { "cs-uri-stem": "/x" })];
    fs.writeFileSync(
      path.join(temp.dir, "E2EXAMPLE.2024-05-17-10.aaaa.gz"),
      zlib.gzipSync(formatAccessLog(rows)),
    );
  });
  afterEach(() => {
    temp.cleanup();
    outDir.cleanup();
  });

  it("writes one line per served event, every column in the map's order, the summary to stderr", async () => {
    // Beside the logs, not among them: a JSON file without cs-uri-query is a problem of its own.
    const out = path.join(outDir.dir, "events.jsonl");
    const output = captureOutput();
    assert.strictEqual(await main([temp.dir, "--format", "jsonl", "--output", out], output), 0);
    const lines = fs.readFileSync(out, "utf8").trimEnd().split("\n");
    assert.strictEqual(lines.length, 2, "the 301 is not served, the other path is no event");
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const e of events) assert.deepStrictEqual(Object.keys(e), NAMES);
    assert.deepStrictEqual(
      events.map((e) => [e.event_id, e.event, e.dvce_created_tstamp]),
      [
        ["event-0", "page_view", "2024-05-17 10:15:42.000"],
        ["event-1", "struct", "2024-05-17 10:15:42.001"],
      ],
    );
    assert.deepStrictEqual(output.stdout, [], "stdout stays free for the lines");
    assert.ok(
      output.stderr.some((l) => /^exported: +2 events as JSON lines$/.test(l)),
      output.stderr.join("\n"),
    );
  });

  it("writes to stdout without --output", async () => {
    const output = captureOutput();
    assert.strictEqual(await main([temp.dir, "--format", "jsonl"], output), 0);
    assert.deepStrictEqual(
      output.stdout.map((l) => (JSON.parse(l) as { event_id: string }).event_id),
      ["event-0", "event-1"],
    );
  });

  it("puts the canonical event in --event-id --json, the same object as its JSON line", async () => {
    const output = captureOutput();
    assert.strictEqual(await main([temp.dir, "--event-id", "event-1", "--json"], output), 0);
    const { matches } = JSON.parse(output.stdout.join("\n"));
    const jsonl = captureOutput();
    await main([temp.dir, "--format", "jsonl"], jsonl);
    assert.deepStrictEqual(matches[0].event, JSON.parse(jsonl.stdout[1]));
    assert.strictEqual(matches[0].event.se_category, "basket");
  });

  it("refuses options that do not go together, naming them", async () => {
    for (const [argv, message] of [
      [["--format", "csv"], /--format "csv" is not one of text, json, jsonl/],
      [["--format", "jsonl", "--event-id", "x"], /--format jsonl exports every event; leave out --event-id/],
      [["--output", "x.jsonl"], /--output writes the JSON lines of --format jsonl/],
      [["--json", "--format", "jsonl"], /--json and --format jsonl disagree/],
    ] as const) {
      const output = captureOutput();
      assert.strictEqual(await main([temp.dir, ...argv], output), 2, argv.join(" "));
      assert.match(output.stderr.join("\n"), message);
    }
  });

  it("streams: a consumer that stops taking lines stops the reader, so what waits stays bounded", async () => {
    // 6,000 events, about 10 MB of JSON lines, into a consumer that holds its first write until
    // released. Without backpressure the reader would buffer all of them in memory.
    const big = path.join(temp.dir, "big");
    fs.mkdirSync(big);
    const rows = Array.from({ length: 6000 }, (_, i) => eventRow(i));
    fs.writeFileSync(path.join(big, "E2EXAMPLE.2024-05-17-11.big.gz"), zlib.gzipSync(formatAccessLog(rows)));
    let written = 0;
    let held: (() => void)[] | undefined = [];
    const consumer: Writable = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, done) {
        written += chunk.length;
        if (held === undefined) done();
        else held.push(done);
      },
    });
    const writer = new JsonlWriter(consumer);
    let finished = false;
    const reading = readLogs([big], undefined, writer).then(() => (finished = true));
    // Wait until the reader has finished, or has stopped making progress.
    for (let last = -1; !finished && consumer.writableLength !== last;) {
      last = consumer.writableLength;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const waiting = consumer.writableLength;
    assert.ok(!finished, "the reader waits for the consumer");
    // One parsed chunk of the log (64 KiB of text, a few dozen lines) is what can pile up.
    assert.ok(waiting < 512 * 1024, `${waiting} bytes wait in the stream`);
    const release = held;
    held = undefined;
    release.forEach((done) => done());
    await reading;
    await writer.end(true);
    assert.strictEqual(writer.lines, 6000);
    assert.ok(written > 8 * 2 ** 20, `${written} bytes written in the end`);
  });
});
