/**
 * index.ts started on its own (`npx ts-node index.ts`) says what to run instead, and declares
 * nothing.
 */
import * as assert from "assert";
import { runScript } from "../support/runScript";

describe("index.ts outside the Pulumi engine", function () {
  this.timeout(60000);

  it("exits 2 and names the commands that run it", async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PULUMI_")));
    const { status, stdout, stderr } = await runScript("index.ts", [], env);
    assert.strictEqual(status, 2, stdout + stderr);
    assert.match(stderr, /^This is a Pulumi program: it runs under the Pulumi engine/);
    assert.match(stderr, /npm run preview -- --stack dev/);
    assert.match(stderr, /pulumi preview --stack dev/);
    assert.doesNotMatch(stderr, /Invalid configuration|undefined|at .*index\.ts/);
  });
});
