/**
 * The bench's measuring child (bench/measureChild.ts, under bench/swcRegister.js): its heap-capped
 * runs are meant to cap the reader's heap, so the child must load no toolchain and no Pulumi.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { formatAccessLog, pixelHitRow } from "../../logs/accessLogFormat";
import { makeTempDir } from "../support/tempDir";

const ROOT = path.resolve(__dirname, "../..");
const REGISTER = path.join(ROOT, "bench/swcRegister.js");
const CHILD = path.join(ROOT, "bench/measureChild.ts");

describe("bench: the measuring child", function () {
  this.timeout(60000);

  it("loads no package but swc: no TypeScript, no ts-node, no Pulumi", () => {
    const script = `require(${JSON.stringify(CHILD)});
      process.stdout.write(JSON.stringify(Object.keys(require.cache)))`;
    const loaded = JSON.parse(
      execFileSync(process.execPath, ["-r", REGISTER, "-e", script], { cwd: ROOT, encoding: "utf8" }),
    ) as string[];
    const packages = new Set(
      loaded.flatMap((file) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? []),
    );
    assert.deepStrictEqual(
      [...packages].filter((name) => !name.startsWith("@swc/")),
      [],
      "packages loaded besides swc",
    );
    assert.ok(
      loaded.some((file) => file.endsWith("logs/accessLog.ts")),
      "the reader itself is loaded",
    );
  });

  for (const measurement of ["measureReader", "measureJsonlExport", "measureExportFloor"]) {
    it(`${measurement}: reads a file under the bench's heap cap and prints what it measured`, () => {
      const { dir, cleanup } = makeTempDir("measure-child");
      try {
        const file = path.join(dir, "E2BENCH.2024-05-17-10.log");
        fs.writeFileSync(file, formatAccessLog([pixelHitRow("e=pv&eid=1"), pixelHitRow("e=pv&eid=2")]));
        const out = execFileSync(
          process.execPath,
          ["--max-old-space-size=64", "-r", REGISTER, CHILD, measurement, file],
          { cwd: ROOT, encoding: "utf8" },
        );
        const measured = JSON.parse(out) as { lines: number; startHeapMb: number };
        assert.strictEqual(measured.lines, 2);
        assert.ok(measured.startHeapMb > 0);
      } finally {
        cleanup();
      }
    });
  }
});
