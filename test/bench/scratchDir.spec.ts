/**
 * The benchmark's generated files do not outlive the run: a run stopped by a signal removes its
 * folder, and one killed outright (SIGKILL) has its folder removed by the next run.
 */
import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { makeScratchDir } from "../../bench/scratchDir";
import { makeTempDir } from "../support/tempDir";

const ROOT = path.resolve(__dirname, "../..");

/** A process that makes a scratch folder under `tmp`, fills it, prints its path and waits. */
function holder(tmp: string): { child: ChildProcess; dir: Promise<string> } {
  const code =
    `const { makeScratchDir } = require(${JSON.stringify(path.join(ROOT, "bench/scratchDir"))});` +
    `const { dir } = makeScratchDir("bench-spec", ${JSON.stringify(tmp)});` +
    `require("fs").writeFileSync(require("path").join(dir, "big.gz"), Buffer.alloc(1 << 20));` +
    `console.log(dir); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["-r", path.join(ROOT, "test/support/register.js"), "-e", code], {
    cwd: ROOT,
  });
  const dir = new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("\n")) resolve(out.trim());
    });
    child.on("exit", (code) => reject(new Error(`holder exited (${code}) before making its folder`)));
  });
  return { child, dir };
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );

describe("the benchmark's scratch folder", function () {
  this.timeout(60000);
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (tmp = makeTempDir("scratch-spec")));
  afterEach(() => tmp.cleanup());

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`is removed when the run is stopped with ${signal}`, async () => {
      const { child, dir } = holder(tmp.dir);
      const folder = await dir;
      assert.ok(fs.existsSync(path.join(folder, "big.gz")));
      const done = exited(child);
      child.kill(signal);
      const { code } = await done;
      assert.strictEqual(fs.existsSync(folder), false, `${folder} is left behind`);
      assert.ok(code !== null && code > 128, `exit code ${code} says a signal ended the run`);
    });
  }

  it("left by a run killed with SIGKILL, is removed by the next run, and only that one", async () => {
    const { child, dir } = holder(tmp.dir);
    const folder = await dir;
    const done = exited(child);
    child.kill("SIGKILL");
    await done;
    assert.ok(fs.existsSync(folder), "SIGKILL runs no handler: the folder stays until the next run");
    // A folder of a run still going (this process's parent stands in for it) is left alone.
    const running = path.join(tmp.dir, `bench-spec-${process.ppid}-abc123`);
    fs.mkdirSync(running);
    const next = makeScratchDir("bench-spec", tmp.dir);
    try {
      assert.strictEqual(fs.existsSync(folder), false, "the next run removes the leftover");
      assert.ok(fs.existsSync(running), "a running process's folder is not touched");
      assert.ok(fs.existsSync(next.dir));
    } finally {
      next.cleanup();
    }
    assert.strictEqual(fs.existsSync(next.dir), false);
  });
});
