/**
 * The policy pack's start, the slowest step of `npm run preview` and `npm run policy`: started
 * before the commands load anything heavy, and with V8's compile cache in its process.
 */
import * as assert from "assert";
import { spawn } from "child_process";
import * as path from "path";
import { spawnPack, stopPack } from "../../offline/packProcess";
import { POLICY_PACK_DIR, PROJECT_DIR } from "../../offline/paths";

/** What loading `files` in a fresh Node (the specs' ts-node) pulls in, as paths. */
function modulesLoadedBy(files: string[]): Promise<string[]> {
  const code = `${files.map((f) => `require(${JSON.stringify(f)});`).join("")}
    process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["-r", path.join(PROJECT_DIR, "test/support/register.js"), "-e", code],
      { cwd: PROJECT_DIR },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", (status) =>
      status === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`exit ${status}: ${err}`)),
    );
  });
}

describe("the policy pack's start", function () {
  this.timeout(30000);

  it("comes before the Pulumi runtime, gRPC, the AWS provider (so the program) and Ajv are loaded", async () => {
    const loaded = await modulesLoadedBy(
      ["offline/preview.ts", "offline/enforce.ts", "offline/stackCommand.ts"].map((f) =>
        path.join(PROJECT_DIR, f),
      ),
    );
    assert.ok(
      loaded.some((m) => m.endsWith(path.join("offline", "packProcess.ts"))),
      "packProcess.ts loads",
    );
    const heavy = loaded.filter((m) =>
      /node_modules[\\/](@pulumi[\\/](pulumi|aws)|@grpc[\\/]grpc-js|ajv)[\\/]/.test(m),
    );
    assert.deepStrictEqual(heavy, []);
  });

  it("runs TypeScript's compiler from V8's compile cache, and writes the cache when stopped", async () => {
    // Node reports what its compile cache does on stderr when asked to (NODE_DEBUG_NATIVE).
    const spawned = spawnPack(POLICY_PACK_DIR, undefined, {
      ...process.env,
      NODE_DEBUG_NATIVE: "COMPILE_CACHE",
    });
    try {
      await spawned.port;
    } finally {
      await stopPack(spawned);
    }
    assert.match(spawned.stderr(), /\[compile cache\] resolved path .*node-compile-cache/);
    assert.match(spawned.stderr(), /compile cache[^\n]*typescript[\\/]lib[\\/]typescript\.js/);
    // packPreload.js's SIGTERM handler ran: it exits 143 (128 + SIGTERM) after the write.
    assert.deepStrictEqual([spawned.child.exitCode, spawned.child.signalCode], [143, null]);
  });

  it("kills a pack stopped while it starts: busy type-checking, it would see SIGTERM only once done", async () => {
    const spawned = spawnPack(POLICY_PACK_DIR);
    await stopPack(spawned);
    assert.strictEqual(spawned.child.signalCode, "SIGKILL");
    await assert.rejects(spawned.port, /exited with code null before listening/);
  });
});
