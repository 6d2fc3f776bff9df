/**
 * A command whose reader goes away (`| head`) ends at once with SIGPIPE's status, 141, and no
 * stack trace; the preview takes its policy pack down with it.
 */
import * as assert from "assert";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { formatAccessLog, pixelHitRow } from "../../logs/accessLogFormat";
import { encodeTrackerQuery } from "../../logs/trackerEvent";
import { PROJECT_DIR } from "../../offline/paths";
import { makeTempDir } from "../support/tempDir";

/**
 * Runs a command script, closes its stdout after the first chunk (calling `atFirstChunk` with the
 * script's pid just before), and resolves with how it ended.
 */
function closedAfterFirstChunk(
  script: string,
  args: string[],
  atFirstChunk: (pid: number) => void = () => undefined,
): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["-r", path.join(PROJECT_DIR, "test/support/register.js"), path.join(PROJECT_DIR, script), ...args],
      { cwd: PROJECT_DIR },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.once("data", () => {
      atFirstChunk(child.pid ?? -1);
      child.stdout.destroy();
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stderr }));
  });
}

/** Policy packs running as children of `pid`'s process, by the runner's name on their command line. */
function packsOf(pid: number): number[] {
  const out = execFileSync("ps", ["-o", "pid=,ppid=,args=", "-A"], { encoding: "utf8" });
  return out
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([, ppid, ...args]) => Number(ppid) === pid && args.join(" ").includes("run-policy-pack"))
    .map(([child]) => Number(child));
}

describe("a command whose stdout closes", function () {
  this.timeout(60000);

  it("npm run logs --format jsonl: exit 141, no stack trace", async () => {
    const { dir, cleanup } = makeTempDir("closed-stdout");
    try {
      const rows = Array.from({ length: 20000 }, (_, i) =>
        pixelHitRow(encodeTrackerQuery({ e: "pv", eid: `e-${i}` })),
      );
      const file = path.join(dir, "E1.2024-05-17-10.a");
      fs.writeFileSync(file, formatAccessLog(rows));
      const { status, stderr } = await closedAfterFirstChunk("commands/logs.ts", [file, "--format", "jsonl"]);
      assert.strictEqual(status, 141, stderr);
      assert.doesNotMatch(stderr, /EPIPE|at /);
    } finally {
      cleanup();
    }
  });

  it("npm run preview: exit 141 once the plan's first lines are read, and its pack gone with it", async () => {
    let packs: number[] = [];
    // The plan prints once the pack listens: it is there now, and must not outlive the preview.
    const { status, stderr } = await closedAfterFirstChunk(
      "offline/preview.ts",
      ["--stack", "prod"],
      (pid) => {
        packs = packsOf(pid);
      },
    );
    assert.strictEqual(status, 141, stderr);
    assert.doesNotMatch(stderr, /EPIPE|at /);
    assert.strictEqual(packs.length, 1, "the preview's pack was running while it printed");
    // The pack ends a moment after its parent (an orphan is reaped by init then).
    const isAlive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return !/^Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1] ?? "");
      } catch {
        return false;
      }
    };
    let alive = packs.filter(isAlive);
    for (let waited = 0; alive.length > 0 && waited < 5000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      alive = alive.filter(isAlive);
    }
    assert.deepStrictEqual(alive, []);
  });
});
