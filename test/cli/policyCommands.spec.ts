/**
 * `npm run preview` and `npm run policy` on their policy config and their verdict: a bad
 * `--policy-config` stops them before the plan prints; a verdict prints the level in force; both
 * count the same resources.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { defaultPolicyConfig } from "../../offline/paths";
import { policies } from "../../policy/policies/all";
import { runPolicy, runPreview } from "../support/runMain";
import { makeTempDir } from "../support/tempDir";

describe("npm run preview / policy and the policy config", function () {
  this.timeout(120000);
  let temp: ReturnType<typeof makeTempDir>;
  const file = (name: string, text: string) => {
    const p = path.join(temp.dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  before(() => (temp = makeTempDir("policy-config")));
  after(() => temp.cleanup());

  it("a missing --policy-config file: exit 2 before anything prints", async () => {
    const missing = path.join(temp.dir, "nope.json");
    const { status, stdout, stderr } = await runPreview(["--stack", "dev", "--policy-config", missing]);
    assert.strictEqual(status, 2);
    assert.strictEqual(stdout, "");
    assert.strictEqual(stderr, `error: policy config ${missing}: no such file\n`);
  });

  it("a --policy-config that is not JSON: exit 2 before anything prints", async () => {
    const broken = file("broken.json", '{ "log-bucket-protected": ');
    const { status, stdout, stderr } = await runPolicy(["--stack", "dev", "--policy-config", broken]);
    assert.strictEqual(status, 2);
    assert.strictEqual(stdout, "");
    assert.match(stderr, /^error: policy config .*broken\.json is not JSON: /);
  });

  it("a --policy-config against the pack's schema: exit 2, no plan printed", async () => {
    const bad = file("bad.json", JSON.stringify({ "log-bucket-protected": { requireProtekt: true } }));
    const { status, stdout, stderr } = await runPreview(["--stack", "dev", "--policy-config", bad]);
    assert.strictEqual(status, 2, stdout + stderr);
    assert.strictEqual(stdout, "", "the plan is not printed");
    assert.match(
      stderr,
      /is not valid for this pack:\n {2}log-bucket-protected: must NOT have additional properties \(requireProtekt\)/,
    );
  });

  it("no policy's description names a level: the verdict prints the one in force", () => {
    const naming = policies.filter((p) => /\b(advisory|mandatory)\b/i.test(p.description));
    assert.deepStrictEqual(
      naming.map((p) => p.name),
      [],
    );
  });

  it("an advisory policy configured mandatory prints [mandatory], and both commands count alike", async () => {
    const dev = JSON.parse(fs.readFileSync(defaultPolicyConfig("dev"), "utf8"));
    const strict = file("strict.json", JSON.stringify({ ...dev, "distribution-viewer-https": "mandatory" }));
    const args = ["--stack", "dev", "--policy-config", strict];
    const [preview, policy] = await Promise.all([runPreview(args), runPolicy(args)]);
    for (const run of [preview, policy]) {
      assert.strictEqual(run.status, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /\[mandatory\] distribution-viewer-https/);
      assert.doesNotMatch(run.stdout, /advisory:|Advisory/, "no level but the one in force");
      assert.match(run.stdout, /FAILED: 1 mandatory violation\(s\), 0 advisory/);
    }
    const count = (out: string) => /^Resources: (\d+) to create .*$/m.exec(out)?.[0];
    assert.ok(count(preview.stdout), preview.stdout);
    assert.strictEqual(count(policy.stdout), count(preview.stdout));
  });
});
