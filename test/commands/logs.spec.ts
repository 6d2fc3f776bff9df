import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { main } from "../../commands/logs";
import { formatAccessLog, pixelHitRow } from "../../logs/accessLogFormat";
import { encodeTrackerQuery } from "../../logs/trackerEvent";
import { captureOutput } from "../support/captureOutput";
import { runScript } from "../support/runScript";
import { makeTempDir } from "../support/tempDir";

describe("npm run logs", () => {
  let temp: ReturnType<typeof makeTempDir>;
  const eventId = "0f8e7d6c-5b4a-4321-9876-fedcba987654";

  beforeEach(() => {
    temp = makeTempDir("logs-cmd");
    const hour = path.join(temp.dir, "cloudfront", "prod");
    fs.mkdirSync(hour, { recursive: true });
    const good = formatAccessLog([
      pixelHitRow(encodeTrackerQuery({ e: "pv", eid: "other" })),
      pixelHitRow(encodeTrackerQuery({ e: "pv", eid: eventId, page: "Verify page" }), { "sc-status": "304" }),
      pixelHitRow("", { "cs-uri-stem": "/favicon.ico", "sc-status": "403" }),
      pixelHitRow("e=pv", { "cs-method": "POST", "sc-status": "403" }),
    ]);
    fs.writeFileSync(path.join(hour, "E2EXAMPLE.2024-05-17-10.aaaa.gz"), zlib.gzipSync(good));
    fs.writeFileSync(
      path.join(hour, "E2EXAMPLE.2024-05-17-11.bbbb.gz"),
      zlib.gzipSync(good + "2024-05-17\tonly two\n").subarray(0, 200),
    );
  });
  afterEach(() => temp.cleanup());

  it("summarises a directory: events, statuses, methods, and where the bad input is", async () => {
    const output = captureOutput();
    const code = await main([temp.dir], output);
    assert.strictEqual(code, 1, "exit 1: one file was unreadable");
    const text = output.stdout.join("\n");
    assert.match(text, /files: +2 \(1 unreadable\)/);
    assert.match(text, /events: +2 /);
    assert.match(text, /by status: +200=1 304=1 403=2/);
    assert.match(text, /by method: +GET=3 POST=1/);
    assert.match(
      output.stderr.join("\n"),
      /E2EXAMPLE\.2024-05-17-11\.bbbb\.gz: unreadable: gzip data is corrupt or truncated/,
    );
  });

  it("finds an event by id and prints it decoded", async () => {
    const output = captureOutput();
    const code = await main([temp.dir, "--event-id", eventId, "--json"], output);
    assert.strictEqual(code, 1, "found, but one file was unreadable");
    const { matches } = JSON.parse(output.stdout.join("\n"));
    assert.strictEqual(matches.length, 1);
    assert.strictEqual(matches[0].params.page, "Verify page");
    assert.strictEqual(matches[0].status, "304");
    assert.match(matches[0].file, /2024-05-17-10\.aaaa\.gz$/);
  });

  it("says which path it cannot read, with exit code 2", async () => {
    const output = captureOutput();
    assert.strictEqual(await main([path.join(temp.dir, "nope")], output), 2);
    assert.deepStrictEqual(output.stderr.length, 1);
    assert.match(output.stderr[0], /^error: cannot read ".*nope": ENOENT/);
  });

  it("says so when a directory holds no files", async () => {
    const empty = path.join(temp.dir, "empty");
    fs.mkdirSync(empty);
    const output = captureOutput();
    assert.strictEqual(await main([empty], output), 2);
    assert.match(output.stderr.join("\n"), /^error: no files under ".*empty"$/);
  });

  it("runs as a script: exit 1 when the event is not there, 2 for an unknown option", async () => {
    const [missing, bogus] = await Promise.all([
      runScript("commands/logs.ts", [temp.dir, "--event-id", "no-such-id"]),
      runScript("commands/logs.ts", ["--bogus"]),
    ]);
    assert.strictEqual(missing.status, 1, missing.stderr);
    assert.match(missing.stdout, /no event with eid=no-such-id/);
    assert.strictEqual(bogus.status, 2);
    assert.match(bogus.stderr, /error: logs: unknown option --bogus\. Allowed options: /);
  });
});
