/** `npm run bench -- --help` prints what the benchmark does and runs none of it. */
import * as assert from "assert";
import { runScript } from "../support/runScript";

describe("npm run bench: arguments", function () {
  this.timeout(60000);

  it("--help prints the usage and measures nothing", async () => {
    const { status, stdout, stderr } = await runScript("bench/run.ts", ["--help"]);
    assert.strictEqual(status, 0, stderr);
    assert.match(stdout, /^usage: npm run bench -- \[--help\]\n/);
    assert.match(stdout, /BENCH_LINES=n,m/);
    assert.doesNotMatch(stdout, /fresh runs per stack|33-field tracker lines/, "no benchmark ran");
  });

  it("an unknown argument is bad usage (exit 2), named, without Node's parser text", async () => {
    const { status, stdout, stderr } = await runScript("bench/run.ts", ["--fast"]);
    assert.strictEqual(status, 2);
    assert.strictEqual(stdout, "", "no benchmark ran");
    assert.match(stderr, /^bench: unknown argument --fast: it takes none but --help\.\nusage: /);
    assert.doesNotMatch(stderr, /after '--'|ERR_PARSE_ARGS/);
  });
});
