/**
 * `npm run preview --stack prod`, the `--` forgotten: npm keeps `--stack` for itself. The
 * commands notice it in npm's environment and say what to type instead.
 */
import * as assert from "assert";
import { flagsTakenByNpm } from "../../commands/argv";
import { npmRun } from "../support/npmRun";
import { runScript } from "../support/runScript";

describe("flags npm kept for itself", function () {
  this.timeout(60000);

  it("npm run preview --stack prod: exit 2, add `--`", async () => {
    const { status, stdout, stderr } = await npmRun(["preview", "--stack", "prod"]);
    assert.strictEqual(status, 2, stdout + stderr);
    assert.match(stderr, /npm kept --stack for itself: flags for the command go after `--`/);
    assert.match(stderr, /Run: npm run preview -- --stack prod$/m);
  });

  it("npm run verify --stack=prod: exit 2, the same advice", async () => {
    const env = { ...process.env, npm_lifecycle_event: "verify", npm_config_stack: "prod" };
    const { status, stderr } = await runScript("commands/verify.ts", [], env);
    assert.strictEqual(status, 2);
    assert.match(stderr, /npm kept --stack for itself.*Run: npm run verify -- --stack prod$/m);
  });

  it("names every swallowed flag, and stays quiet outside npm or when the flag came through", () => {
    const npm = { npm_lifecycle_event: "logs", npm_config_json: "true", npm_config_prefix: "/usr" };
    assert.match(
      flagsTakenByNpm("logs", ["./logs"], ["event-id", "json", "prefix"], npm) ?? "",
      /npm kept --json for itself.*Run: npm run logs -- --json \.\/logs$/,
    );
    assert.strictEqual(flagsTakenByNpm("logs", ["./logs"], ["json"], { npm_config_json: "true" }), undefined);
    assert.strictEqual(flagsTakenByNpm("logs", ["--json", "./logs"], ["json"], npm), undefined);
    assert.strictEqual(flagsTakenByNpm("verify", [], ["prefix"], npm), undefined, "npm sets prefix itself");
  });
});
