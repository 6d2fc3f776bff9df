/**
 * The record of the pack's last passed type-check (offline/packTypeCheckCache.js): a start with
 * nothing changed stands on it, any change to what the check read brings the check back, and a
 * module the record does not hold is refused. On a small pack of its own: a program that prints a
 * port and waits, type-checked by the same runner and preload as the policy pack.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { recordPath } from "../../offline/packTypeCheckCache";
import { spawnPack, stopPack } from "../../offline/packProcess";
import { PROJECT_DIR } from "../../offline/paths";

/** Inside the project, so that ts-node and TypeScript resolve from its node_modules. */
const FIXTURES = path.join(PROJECT_DIR, "node_modules", ".cache", "pack-fixtures");

const FILES: Record<string, string> = {
  "pack/PulumiPolicy.yaml": "runtime: nodejs\n",
  "pack/package.json": JSON.stringify({ name: "fixture-pack", version: "0.0.1" }),
  "pack/tsconfig.json": JSON.stringify({
    compilerOptions: { strict: true, module: "commonjs", target: "ES2022", lib: ["ES2022"], types: [] },
    files: ["index.ts"],
  }),
  // Prints a port, as a pack does once it listens, and waits to be stopped; `late.ts` is loaded
  // only when asked, so a record can lack it.
  "pack/index.ts": [
    'import { port } from "../shared";',
    "declare const require: (id: string) => unknown;",
    "declare const process: { env: Record<string, string | undefined>; stdout: { write(s: string): void } };",
    "declare function setInterval(callback: () => void, ms: number): unknown;",
    'if (process.env.FIXTURE_LATE === "1") require("./late");',
    "process.stdout.write(`${port}\\n`);",
    "setInterval(() => undefined, 1 << 30);",
  ].join("\n"),
  "pack/late.ts": "export const late: number = 1;\n",
  // Outside the pack's directory: a file the check reads that no listing of the pack would show.
  "shared.ts": "export const port: number = 4242;\n",
};

interface Start {
  /** The pack's stderr once it has stopped, or why it never listened. */
  log: string;
  listened: boolean;
}

/** Starts the pack with the record's log on, waits until it listens or fails, and stops it. */
async function start(packDir: string, env: Record<string, string> = {}): Promise<Start> {
  const spawned = spawnPack(packDir, undefined, { ...process.env, PACK_TYPE_CHECK_LOG: "1", ...env });
  try {
    await spawned.port;
  } catch (error) {
    return { log: (error as Error).message, listened: false };
  }
  await stopPack(spawned);
  return { log: spawned.stderr(), listened: true };
}

describe("the record of the pack's last passed type-check", function () {
  this.timeout(60000);
  let root: string;
  let packDir: string;
  const write = (file: string, text: string): void => fs.writeFileSync(path.join(root, file), text);

  beforeEach(() => {
    fs.mkdirSync(FIXTURES, { recursive: true });
    root = fs.mkdtempSync(path.join(FIXTURES, "pack-"));
    fs.mkdirSync(path.join(root, "pack"));
    for (const [file, text] of Object.entries(FILES)) write(file, text);
    packDir = path.join(root, "pack");
  });

  afterEach(() => {
    fs.rmSync(recordPath(packDir), { force: true });
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("is written when a checked pack is stopped, and a start with nothing changed stands on it", async () => {
    const first = await start(packDir);
    assert.ok(first.listened, first.log);
    assert.match(first.log, /pack type-check: runs \(no record of a passed check\)/);
    assert.match(first.log, /pack type-check: recorded \d+ files/);
    const record = JSON.parse(fs.readFileSync(recordPath(packDir), "utf8")) as {
      files: Record<string, string>;
      emitted: Record<string, unknown>;
    };
    // The check read the module outside the pack and TypeScript's lib; it compiled index.ts only.
    assert.ok(path.join(root, "shared.ts") in record.files, Object.keys(record.files).join("\n"));
    assert.ok(Object.keys(record.files).some((f) => /lib\.es2022\.d\.ts$/.test(f)));
    assert.deepStrictEqual(
      Object.keys(record.emitted)
        .map((f) => path.relative(root, f))
        .sort(),
      [path.join("pack", "index.ts"), "shared.ts"],
    );

    const second = await start(packDir);
    assert.ok(second.listened, second.log);
    assert.match(second.log, /pack type-check: stands \(\d+ files unchanged\)/);
    assert.doesNotMatch(second.log, /runs|recorded/);
  });

  it("does not stand once a file the check read changes: the check runs, and fails as the CLI's does", async () => {
    assert.ok((await start(packDir)).listened);
    write("shared.ts", 'export const port: number = "4242";\n');
    const broken = await start(packDir);
    assert.strictEqual(broken.listened, false);
    assert.match(
      broken.log,
      new RegExp(`runs \\(${path.join(root, "shared.ts").replace(/\\/g, "\\\\")} changed\\)`),
    );
    assert.match(
      broken.log,
      /TSError: ⨯ Unable to compile TypeScript:\n[^\n]*shared\.ts\(1,14\): error TS2322/,
    );
    assert.doesNotMatch(broken.log, /recorded/);

    // The record is of content, not of the last start: the text it checked stands again.
    write("shared.ts", FILES["shared.ts"]);
    assert.match((await start(packDir)).log, /stands/);
  });

  it("takes a record that is not whole (cut short, from another version) for none", async () => {
    fs.mkdirSync(path.dirname(recordPath(packDir)), { recursive: true });
    fs.writeFileSync(recordPath(packDir), JSON.stringify({ files: {} }));
    const next = await start(packDir);
    assert.ok(next.listened, next.log);
    assert.match(next.log, /runs \(no record of a passed check\)/);
  });

  it("does not stand once ts-node's own settings change (TS_NODE_ variables)", async () => {
    assert.ok((await start(packDir)).listened);
    const next = await start(packDir, { TS_NODE_IGNORE_DIAGNOSTICS: "2322" });
    assert.ok(next.listened, next.log);
    assert.match(next.log, /runs \(tsNodeEnv changed\)/);
  });

  it("does not stand once a file is added to the pack's directory, imported or not", async () => {
    assert.ok((await start(packDir)).listened);
    write("pack/extra.ts", "export {};\n");
    const next = await start(packDir);
    assert.ok(next.listened, next.log);
    assert.match(next.log, /runs \(packFiles changed\)/);
  });

  it("refuses a module the recorded check did not compile, and removes the record", async () => {
    assert.ok((await start(packDir)).listened);
    const late = await start(packDir, { FIXTURE_LATE: "1" });
    assert.strictEqual(late.listened, false);
    assert.match(
      late.log,
      /late\.ts was not compiled when the record of the pack's last passed type-check was written/,
    );
    assert.strictEqual(fs.existsSync(recordPath(packDir)), false);

    const checked = await start(packDir, { FIXTURE_LATE: "1" });
    assert.ok(checked.listened, checked.log);
    assert.match(checked.log, /runs \(no record/);
  });
});
