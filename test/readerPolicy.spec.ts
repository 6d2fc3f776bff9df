/**
 * iam/reader-policy.json, the role of whoever reads the events (`npm run verify -- --logs`,
 * `npm run logs` after a sync, `npm run query`), and of the integration run next to the deploy
 * policy: it allows every AWS call the commands make and what Athena does with the caller's
 * rights, on the project's resources only, and never changes or deletes a log file.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../offline/paths";

interface Statement {
  Sid: string;
  Effect: string;
  Action: string[];
  Resource: string[];
}
const POLICY = "iam/reader-policy.json";
const statements = (
  JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, POLICY), "utf8")) as { Statement: Statement[] }
).Statement;

/** Does a statement allow `action` on `resource` (IAM's `*` wildcard)? */
function allows(action: string, resource: string): boolean {
  const match = (pattern: string, value: string) =>
    new RegExp(
      `^${pattern
        .split("*")
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
    ).test(value);
  return statements.some(
    (s) =>
      s.Effect === "Allow" &&
      s.Action.some((a) => match(a, action)) &&
      s.Resource.some((r) => match(r, resource)),
  );
}

/** IAM actions behind the SDK calls the commands make, read from their imports. */
function sdkActions(): string[] {
  const actions = new Set<string>();
  const files = ["commands", "logs"].flatMap((dir) =>
    fs
      .readdirSync(path.join(PROJECT_DIR, dir), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => path.join(PROJECT_DIR, dir, f)),
  );
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"@aws-sdk\/client-(\w+)"/g)) {
      for (const name of m[1].split(",").map((n) => n.trim())) {
        const call = /^(\w+)Command$/.exec(name)?.[1] ?? /^paginate(\w+)$/.exec(name)?.[1];
        // ListObjectsV2 is authorised as s3:ListBucket; every other call is named as it is.
        if (call) actions.add(call === "ListObjectsV2" ? "s3:ListBucket" : `${m[2]}:${call}`);
      }
    }
  }
  return [...actions].sort();
}

const LOGS = "arn:aws:s3:::collector-logs-0a1b2c3";
const RESULTS = "arn:aws:s3:::collector-query-results-4d5e6f7";
const WORKGROUP = "arn:aws:athena:eu-west-1:111111111111:workgroup/collector-prod";
const GLUE = "arn:aws:glue:eu-west-1:111111111111";

describe(`the reader's IAM policy (${POLICY})`, () => {
  it("allows every AWS call the commands make, on the collector's resources", () => {
    const actions = sdkActions();
    assert.ok(
      actions.includes("athena:StartQueryExecution") && actions.includes("s3:GetObject"),
      actions.join(),
    );
    const resourceOf = (action: string) =>
      action.startsWith("athena:")
        ? WORKGROUP
        : action === "s3:ListBucket"
          ? LOGS
          : `${LOGS}/cloudfront/prod/x.gz`;
    const missing = actions.filter((a) => !allows(a, resourceOf(a)));
    assert.deepStrictEqual(missing, [], `add to ${POLICY}`);
  });

  it("allows what Athena does with the caller's rights: read the table and the logs, write results", () => {
    const needed: [string, string][] = [
      ["glue:GetDatabase", `${GLUE}:database/collector_prod`],
      ["glue:GetTable", `${GLUE}:table/collector_prod/events`],
      ["glue:GetPartitions", `${GLUE}:table/collector_prod/events`],
      ["s3:GetObject", `${LOGS}/cloudfront/prod/distributionid=E1/year=2026/x.gz`],
      ["s3:ListBucket", LOGS],
      ["s3:GetBucketLocation", RESULTS],
      ["s3:ListBucket", RESULTS],
      ["s3:PutObject", `${RESULTS}/abc.csv`],
      ["s3:GetObject", `${RESULTS}/abc.csv`],
    ];
    assert.deepStrictEqual(
      needed.filter(([a, r]) => !allows(a, r)),
      [],
    );
  });

  it("never writes or deletes a log file, and names only the collector's resources", () => {
    for (const action of ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObjectAcl"])
      assert.ok(!allows(action, `${LOGS}/cloudfront/prod/x.gz`), action);
    for (const s of statements) {
      assert.strictEqual(s.Effect, "Allow");
      for (const r of s.Resource) assert.match(r, /collector|:catalog$/, `${s.Sid}: ${r}`);
    }
    assert.ok(!allows("s3:GetObject", "arn:aws:s3:::someone-elses-bucket/x"));
  });
});
