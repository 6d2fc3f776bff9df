/**
 * `npm run logs` exit codes (0 all read, 1 problems found, 2 usage) and one problem per file
 * that is not a log at all, through the script's main (commands/logs.spec.ts spawns the script).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { formatAccessLog, pixelHitRow } from "../../logs/accessLogFormat";
import { encodeTrackerQuery } from "../../logs/trackerEvent";
import { main } from "../../commands/logs";
import { runMain } from "../support/runMain";
import { makeTempDir } from "../support/tempDir";

describe("npm run logs: exit codes and unreadable files", function () {
  this.timeout(60000);
  let temp: ReturnType<typeof makeTempDir>;
  const good = formatAccessLog([pixelHitRow(encodeTrackerQuery({ e: "pv", eid: "e-1" }))]);
  const dir = (name: string, files: Record<string, string | Buffer>) => {
    const d = path.join(temp.dir, name);
    fs.mkdirSync(d);
    for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(d, file), content);
    return d;
  };
  before(() => (temp = makeTempDir("logs-exit")));
  after(() => temp.cleanup());

  it("exit 0 when every file and line was read", async () => {
    const { status, stderr } = await runMain(main, [
      dir("good", { "E1.2024-05-17-10.a.gz": zlib.gzipSync(good) }),
    ]);
    assert.strictEqual(status, 0, stderr);
    assert.strictEqual(stderr, "");
  });

  it("exit 1 on a bad line, naming it", async () => {
    const { status, stdout, stderr } = await runMain(main, [
      dir("badline", { "E1.2024-05-17-10.a": good + "2024-05-17\tonly two\n" }),
    ]);
    assert.strictEqual(status, 1, stdout + stderr);
    assert.match(stdout, /bad lines: +1/);
    assert.match(stderr, /E1\.2024-05-17-10\.a:4: column-count:/);
  });

  it("a .gz file that is not gzip: `not gzip`, exit 1", async () => {
    const { status, stdout, stderr } = await runMain(main, [
      dir("notgzip", { "E1.2024-05-17-10.a.gz": good }),
    ]);
    assert.strictEqual(status, 1, stdout + stderr);
    assert.match(stdout, /files: +1 \(1 unreadable\)/);
    assert.match(stderr, /E1\.2024-05-17-10\.a\.gz: unreadable: not gzip/);
  });

  it("a file that is not a log: one problem for the file, not one per line", async () => {
    const garbage = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256));
    const { status, stdout, stderr } = await runMain(main, [
      dir("garbage", { "notes.bin": garbage, "E1.2024-05-17-10.a.gz": zlib.gzipSync(good) }),
    ]);
    assert.strictEqual(status, 1, stdout + stderr);
    assert.match(stdout, /bad lines: +0/);
    assert.match(stdout, /files: +2 \(1 unreadable\)/);
    const problems = stderr.split("\n").filter((line) => line.startsWith("  "));
    assert.deepStrictEqual(problems.length, 1, stderr);
    assert.match(problems[0], /notes\.bin: unreadable: not a CloudFront access log: no #Fields header line/);
  });

  it("exit 2 on bad usage, with the usage and the exit codes", async () => {
    const { status, stderr } = await runMain(main, []);
    assert.strictEqual(status, 2);
    assert.match(stderr, /give at least one log file or directory/);
    assert.match(stderr, /exit codes: 0 all files and lines read, 1 a bad line or unreadable file/);
  });
});
