/**
 * .ci/integration-teardown.sh, the integration workflow's always-run last step, against stand-ins
 * for the Pulumi and AWS CLIs that record what they are asked: it destroys and removes the stack,
 * empties every bucket of the stack's state (versions and delete markers) when a destroy fails,
 * and keeps a stack it cannot destroy, failing the run.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../../offline/paths";
import { makeTempDir } from "../support/tempDir";

const STATE = {
  deployment: {
    resources: [
      { type: "pulumi:pulumi:Stack", urn: "urn:stack" },
      { type: "aws:s3/bucket:Bucket", outputs: { bucket: "collector-logs-1a2b3c4" } },
      { type: "aws:s3/bucket:Bucket", outputs: { bucket: "collector-pixel-5d6e7f8" } },
      { type: "aws:cloudfront/distribution:Distribution", outputs: { id: "E1" } },
    ],
  },
};

/**
 * Stand-ins on PATH. `pulumi destroy` fails as often as `failures` says; `aws s3api
 * list-object-versions` returns one page with a version and a delete marker per bucket, then
 * nothing (the loop's --query is the real CLI's to apply: the stand-in prints its result).
 */
function runTeardown(options: { stackExists: boolean; failures: number }) {
  const temp = makeTempDir("teardown");
  try {
    const bin = path.join(temp.dir, "bin");
    fs.mkdirSync(bin);
    const log = path.join(temp.dir, "calls.log");
    const state = path.join(temp.dir, "state.json");
    fs.writeFileSync(state, JSON.stringify(STATE));
    fs.writeFileSync(
      path.join(bin, "pulumi"),
      [
        "#!/bin/sh",
        `echo "pulumi $*" >> '${log}'`,
        'case "$1 $2" in',
        `  "stack select") ${options.stackExists ? "exit 0" : "echo 'no stack named' >&2; exit 255"} ;;`,
        `  "stack export") cat '${state}' ;;`,
        '  "stack rm") exit 0 ;;',
        "esac",
        'if [ "$1" = destroy ]; then',
        `  n=$(cat '${temp.dir}/destroys' 2>/dev/null || echo 0); n=$((n + 1)); echo $n > '${temp.dir}/destroys'`,
        `  [ "$n" -le ${options.failures} ] && { echo "error: BucketNotEmpty" >&2; exit 1; }`,
        "fi",
        "exit 0",
      ].join("\n"),
      { mode: 0o755 },
    );
    fs.writeFileSync(
      path.join(bin, "aws"),
      [
        "#!/bin/sh",
        `echo "aws $*" >> '${log}'`,
        'bucket=$(echo "$*" | sed "s/.*--bucket \\([^ ]*\\).*/\\1/")',
        'if [ "$2" = list-object-versions ]; then',
        `  if [ -e '${temp.dir}/emptied-'"$bucket" ]; then echo '{"Objects": [], "Quiet": true}'; else`,
        `    echo '{"Objects": [{"Key": "a.gz", "VersionId": "v1"}, {"Key": "a.gz", "VersionId": "m1"}], "Quiet": true}'; fi`,
        'elif [ "$2" = delete-objects ]; then',
        `  f=$(echo "$*" | sed "s/.*file:\\/\\/\\([^ ]*\\).*/\\1/"); cat "$f" >> '${log}'; echo >> '${log}'`,
        `  touch '${temp.dir}/emptied-'"$bucket"`,
        "fi",
      ].join("\n"),
      { mode: 0o755 },
    );
    const result = spawnSync(
      "bash",
      [path.join(PROJECT_DIR, ".ci/integration-teardown.sh"), "org/integration-1-1"],
      {
        cwd: temp.dir,
        env: { PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin` },
        encoding: "utf8",
      },
    );
    const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
    return { status: result.status, output: result.stdout + result.stderr, calls };
  } finally {
    temp.cleanup();
  }
}

describe("the integration run's teardown (.ci/integration-teardown.sh)", function () {
  this.timeout(30000);

  it("destroys the stack and removes it", () => {
    const { status, calls, output } = runTeardown({ stackExists: true, failures: 0 });
    assert.strictEqual(status, 0, output);
    assert.deepStrictEqual(calls, [
      "pulumi stack select org/integration-1-1",
      "pulumi destroy --stack org/integration-1-1 --yes --non-interactive",
      "pulumi stack rm org/integration-1-1 --yes --non-interactive",
    ]);
  });

  it("does nothing, successfully, when the run never created the stack", () => {
    const { status, calls, output } = runTeardown({ stackExists: false, failures: 0 });
    assert.strictEqual(status, 0, output);
    assert.deepStrictEqual(calls, ["pulumi stack select org/integration-1-1"]);
    assert.match(output, /nothing to tear down/);
  });

  it("after a failed destroy, empties every bucket of the state, versions and markers, and destroys again", () => {
    const { status, calls, output } = runTeardown({ stackExists: true, failures: 1 });
    assert.strictEqual(status, 0, output);
    const deleted = calls.filter((c) => c.startsWith("aws s3api delete-objects"));
    assert.deepStrictEqual(
      deleted.map((c) => /--bucket (\S+)/.exec(c)?.[1]),
      ["collector-logs-1a2b3c4", "collector-pixel-5d6e7f8"],
    );
    // The batch file handed to delete-objects is what list-object-versions printed.
    assert.ok(
      calls.some((c) => c.includes('"VersionId": "m1"')),
      calls.join("\n"),
    );
    assert.deepStrictEqual(
      calls.filter((c) => c.startsWith("pulumi destroy") || c.startsWith("pulumi stack rm")).length,
      3,
    );
    assert.strictEqual(
      calls[calls.length - 1],
      "pulumi stack rm org/integration-1-1 --yes --non-interactive",
    );
  });

  it("keeps a stack it cannot destroy and fails, so that someone looks", () => {
    const { status, calls, output } = runTeardown({ stackExists: true, failures: 2 });
    assert.strictEqual(status, 1, output);
    assert.ok(!calls.some((c) => c.startsWith("pulumi stack rm")), "the stack is kept");
    assert.match(output, /could not be destroyed: it is kept/);
  });
});

describe("the emptying loop", () => {
  it("docs/destroy.md shows the one .ci/empty-bucket.sh runs", () => {
    const loop = (text: string) => {
      const lines = text.split("\n").map((l) => l.trim());
      const start = lines.findIndex((l) => l.startsWith("PAGE="));
      const end = lines.indexOf("rm batch.json", start);
      assert.ok(start >= 0 && end > start, "the loop runs from PAGE= to rm batch.json");
      return lines.slice(start, end + 1);
    };
    const docs = fs.readFileSync(path.join(PROJECT_DIR, "docs/destroy.md"), "utf8");
    const script = fs.readFileSync(path.join(PROJECT_DIR, ".ci/empty-bucket.sh"), "utf8");
    assert.deepStrictEqual(loop(docs), loop(script));
  });
});
