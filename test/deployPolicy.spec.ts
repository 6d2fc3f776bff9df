/**
 * The deploy role's IAM policy (iam/deploy-policy.json) against what the program really declares:
 * the program runs under mocks for both stacks, and with every optional feature on, and each
 * resource type and provider function it uses must have an entry in iam/resource-actions.json
 * whose actions the policy allows on that resource, and nothing beyond them.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { ProgramRun, RecordedResource } from "../offline/mockRun";
import { PROJECT_DIR } from "../offline/paths";
import { runStack, T } from "./harness";

const POLICY_FILE = "iam/deploy-policy.json";
const MAP_FILE = "iam/resource-actions.json";
const ACCOUNT = "111111111111";

/**
 * Config that switches on every optional part of the program, so that the policy is checked
 * against all it may ever declare. A new key that adds resources belongs here.
 */
const HOSTED_ZONE = "Z0123456789ABCDEFGHIJ";
const ALL_FEATURES: Record<string, string> = {
  loggingEnabled: "true",
  analyticsEnabled: "true",
  // The Route 53 path: the stack's own certificate, its validation and the alias records.
  customDomain: "c.example.com",
  hostedZoneId: HOSTED_ZONE,
};
/**
 * Switches and optional keys that change settings or guards, never which resources exist.
 * certificateArn is the custom domain without Route 53: it adds nothing to the resources a
 * custom domain with a hosted zone declares (and excludes hostedZoneId).
 */
// migrateLegacyLogBucket adds a BucketAcl in v2 mode, a type legacy mode declares already.
const NOT_FEATURES = [
  "requireEuRegion",
  "protectLogBucket",
  "certificateArn",
  "migrateLegacyLogBucket",
  // Where the Glue table reads: a table property, no resource of its own.
  "logTablePrefix",
];
/**
 * The placeholder deploy-policy.json holds for the deployer's hosted zone id: IAM has no policy
 * variable for it, so docs/deploy.md has the deployer write the zone's id in its place.
 */
const ZONE_PLACEHOLDER = "HOSTED_ZONE_ID";

interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource: string | string[];
}
type Targets = Record<string, string[]>;
interface ActionMap {
  unscopedActions: { actions: string[] };
  resources: Record<string, Targets>;
  invokes: Record<string, Targets>;
}

const readJson = <T>(file: string): T =>
  JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, file), "utf8")) as T;
const policy = readJson<{ Version: string; Statement: Statement[] }>(POLICY_FILE);
const actionMap = readJson<ActionMap>(MAP_FILE);

const list = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);

/** IAM's wildcard matching: `*` any run of characters, `?` one; actions ignore case. */
function globMatches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, ignoreCase ? "i" : "").test(value);
}

/** The policy's resource patterns as they apply in the deploying account. */
const resourcesOf = (s: Statement) =>
  list(s.Resource).map((r) =>
    r.replace(/\$\{aws:PrincipalAccount\}/g, ACCOUNT).replace(ZONE_PLACEHOLDER, HOSTED_ZONE),
  );

function allows(action: string, arn: string): boolean {
  const hits = (s: Statement) =>
    list(s.Action).some((a) => globMatches(a, action, true)) &&
    resourcesOf(s).some((r) => globMatches(r, arn, false));
  const statements = policy.Statement;
  return (
    statements.some((s) => s.Effect === "Allow" && hits(s)) &&
    !statements.some((s) => s.Effect === "Deny" && hits(s))
  );
}

/** One thing the program needs from IAM: an action on a concrete resource, and who needs it. */
interface Need {
  action: string;
  arn: string;
  by: string;
}

/** The name S3 would give the bucket: its `bucket` input, else Pulumi's auto-name. */
function bucketName(b: RecordedResource): string {
  return typeof b.inputs.bucket === "string" ? b.inputs.bucket : `${b.name}-0f1e2d3`;
}

/** The buckets a resource is, or names in its inputs (in input `prop` only, when given). */
function bucketsOf(run: ProgramRun, r: RecordedResource, prop?: string): RecordedResource[] {
  if (r.type === T.bucket && prop === undefined) return [r];
  const deps =
    prop === undefined ? Object.values(r.propertyDependencies).flat() : r.propertyDependencies[prop];
  const urns = new Set(deps ?? []);
  return run.resources.filter((b) => b.type === T.bucket && urns.has(b.urn));
}

/** The ARNs a map target stands for: "bucket[:input]", "object[:input]" or an ARN pattern. */
function expand(run: ProgramRun, r: RecordedResource | undefined, target: string): string[] {
  const [kind, prop] = target.split(":", 2);
  if (kind === "bucket" || kind === "object") {
    assert.ok(r, `"${target}" in ${MAP_FILE} applies to resources, not to provider functions`);
    const buckets = bucketsOf(run, r, prop);
    // An optional input (logging off) may name no bucket; a resource of a bucket always does.
    assert.ok(
      buckets.length > 0 || prop !== undefined,
      `${r.type} "${r.name}" names no bucket, but ${MAP_FILE} says "${target}"`,
    );
    return buckets.map((b) => `arn:aws:s3:::${bucketName(b)}${kind === "object" ? "/cloudfront/x.gz" : ""}`);
  }
  const region = run.settings.config["aws:region"];
  return [
    target
      .replace(/\{account\}/g, ACCOUNT)
      .replace(/\{region\}/g, region)
      .replace(/\{input\.(\w+)\}/g, (_, input: string) => {
        const value = r?.inputs[input];
        assert.ok(
          typeof value === "string",
          `${target}: ${r?.type} "${r?.name}" has no known input ${input}`,
        );
        return value;
      }),
  ];
}

const missingEntry = (kind: string, token: string, where: string) =>
  `${kind} ${token} (${where}) has no entry in ${MAP_FILE}. Add one under "${
    kind === "resource type" ? "resources" : "invokes"
  }" with the IAM actions the AWS provider calls to create, read, update and delete it (for a ` +
  `function: to call it), grouped by the resource they act on ("bucket", "object" or an ARN ` +
  `pattern with {account}), and allow exactly those in ${POLICY_FILE}, scoped to that ARN ` +
  `where AWS allows.`;

/** Everything a run needs, by the map; fails with the fix when a type has no entry. */
function needsOf(run: ProgramRun, label: string): Need[] {
  const needs: Need[] = [];
  const add = (targets: Targets, r: RecordedResource | undefined, by: string) => {
    for (const [target, actions] of Object.entries(targets)) {
      for (const arn of expand(run, r, target)) {
        for (const action of actions) needs.push({ action, arn, by });
      }
    }
  };
  for (const r of run.resources.filter((x) => x.custom && !x.type.startsWith("pulumi:providers:"))) {
    const targets = actionMap.resources[r.type];
    assert.ok(targets, missingEntry("resource type", r.type, `"${r.name}" in ${label}`));
    add(targets, r, `${r.type} "${r.name}"`);
  }
  for (const token of run.invokes) {
    const targets = actionMap.invokes[token];
    assert.ok(targets, missingEntry("provider function", token, `called in ${label}`));
    add(targets, undefined, token);
  }
  return needs;
}

const RUNS: [string, Record<string, string>][] = [
  ["dev", {}],
  ["prod", {}],
  ["dev", ALL_FEATURES],
  ["prod", ALL_FEATURES],
];

async function allRuns(): Promise<{ label: string; run: ProgramRun }[]> {
  const runs = [];
  for (const [stack, overrides] of RUNS) {
    const features = Object.keys(overrides).length > 0 ? " with every feature on" : "";
    runs.push({ label: `the ${stack} stack${features}`, run: await runStack(stack, overrides) });
  }
  return runs;
}

async function allNeeds(): Promise<Need[]> {
  return (await allRuns()).flatMap(({ label, run }) => needsOf(run, label));
}

describe(`the deploy role's IAM policy (${POLICY_FILE})`, () => {
  it("is a policy document IAM accepts in shape: version, statements with effect, actions, resources", () => {
    assert.strictEqual(policy.Version, "2012-10-17");
    const sids = policy.Statement.map((s) => s.Sid);
    assert.strictEqual(new Set(sids).size, sids.length, "Sids are unique");
    for (const s of policy.Statement) {
      assert.ok(s.Sid && /^[A-Za-z0-9]+$/.test(s.Sid), `Sid ${s.Sid}: letters and digits only`);
      assert.ok(s.Effect === "Allow" || s.Effect === "Deny", `${s.Sid}: Effect`);
      for (const a of list(s.Action)) assert.match(a, /^[a-z0-9-]+:[A-Za-z0-9*?]+$/, `${s.Sid}: action ${a}`);
      for (const r of list(s.Resource)) assert.ok(r === "*" || r.startsWith("arn:aws:"), `${s.Sid}: ${r}`);
      assert.deepStrictEqual(Object.keys(s).sort(), ["Action", "Effect", "Resource", "Sid"], s.Sid);
    }
  });

  it("allows every action each declared resource type and provider function needs, on that resource", async () => {
    const needs = await allNeeds();
    assert.ok(needs.length > 0);
    const refused = needs.filter((n) => !allows(n.action, n.arn));
    assert.deepStrictEqual(
      refused.map((n) => `${n.action} on ${n.arn}, for ${n.by}`),
      [],
      `${POLICY_FILE} must allow these (the needs come from ${MAP_FILE})`,
    );
  });

  it("allows nothing no declared resource needs: each action on each resource pattern is used", async () => {
    const needs = await allNeeds();
    const unused: string[] = [];
    for (const s of policy.Statement.filter((x) => x.Effect === "Allow")) {
      for (const action of list(s.Action)) {
        for (const pattern of resourcesOf(s)) {
          const used = needs.some(
            (n) => globMatches(action, n.action, true) && globMatches(pattern, n.arn, false),
          );
          if (!used) unused.push(`${s.Sid}: ${action} on ${pattern}`);
        }
      }
    }
    assert.deepStrictEqual(unused, [], "remove what nothing needs, or add the type that needs it to the map");
  });

  it('scopes every action to resource ARNs, except those AWS offers only on "*"', () => {
    const unscoped = new Set(actionMap.unscopedActions.actions);
    for (const s of policy.Statement) {
      assert.ok(!list(s.Action).some((a) => a.includes("*")), `${s.Sid}: no wildcard actions; list each one`);
      if (list(s.Resource).includes("*")) {
        const scopable = list(s.Action).filter((a) => !unscoped.has(a));
        assert.deepStrictEqual(scopable, [], `${s.Sid}: these take a resource ARN; scope them`);
      }
    }
    for (const entries of [actionMap.resources, actionMap.invokes]) {
      for (const [token, targets] of Object.entries(entries)) {
        for (const action of targets["*"] ?? []) {
          assert.ok(
            unscoped.has(action),
            `${MAP_FILE} ${token}: ${action} on "*" but not in unscopedActions`,
          );
        }
      }
    }
  });

  it("scopes S3 to the program's own buckets by name, whatever the stack; reads no logs", async () => {
    const s3Patterns = policy.Statement.flatMap(resourcesOf).filter((r) => r.startsWith("arn:aws:s3:::"));
    const names = new Set<string>();
    for (const { run } of await allRuns()) {
      for (const b of run.resources.filter((r) => r.type === T.bucket)) names.add(b.name);
    }
    assert.ok(names.has("collector-logs") && names.has("collector-pixel"), [...names].join(", "));
    for (const p of s3Patterns) {
      assert.ok(
        [...names].some((n) => p.startsWith(`arn:aws:s3:::${n}-`)),
        `${p} names no bucket of the program`,
      );
    }
    assert.ok(!allows("s3:DeleteBucket", "arn:aws:s3:::someone-elses-bucket"));
    assert.ok(!allows("s3:GetObject", "arn:aws:s3:::collector-logs-0f1e2d3/cloudfront/x.gz"), "no log reads");
  });

  it("scopes Route 53 to the one hosted zone, ACM to certificates in us-east-1", () => {
    const zone = `arn:aws:route53:::hostedzone/${HOSTED_ZONE}`;
    assert.ok(allows("route53:ChangeResourceRecordSets", zone));
    assert.ok(!allows("route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/ZOTHERZONE123"));
    assert.ok(!allows("route53:GetHostedZone", "arn:aws:route53:::hostedzone/ZOTHERZONE123"));
    const certificate = `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/12345678-1234-1234-1234-123456789012`;
    assert.ok(allows("acm:RequestCertificate", certificate));
    assert.ok(!allows("acm:RequestCertificate", certificate.replace("us-east-1", "eu-west-1")));
  });

  it("has no entry in the map for a type the program no longer declares", async () => {
    const runs = await allRuns();
    const types = new Set(runs.flatMap(({ run }) => run.resources.map((r) => r.type)));
    const invokes = new Set(runs.flatMap(({ run }) => run.invokes));
    assert.deepStrictEqual(
      Object.keys(actionMap.resources).filter((t) => !types.has(t)),
      [],
    );
    assert.deepStrictEqual(
      Object.keys(actionMap.invokes).filter((t) => !invokes.has(t)),
      [],
    );
  });

  it("is checked with every optional feature on: each switch in Pulumi.yaml is classified here", () => {
    const project = yaml.load(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as {
      config: Record<string, { type: string; default?: unknown }>;
    };
    const optional = Object.entries(project.config)
      .filter(([, c]) => c.type === "boolean" || c.default === "")
      .map(([key]) => key);
    const unclassified = optional.filter((k) => !(k in ALL_FEATURES) && !NOT_FEATURES.includes(k));
    assert.deepStrictEqual(
      unclassified,
      [],
      "config keys new to this spec: if one switches on resources, add it with its 'on' value to " +
        "ALL_FEATURES in test/deployPolicy.spec.ts (the policy is then checked against them); if not, " +
        "to NOT_FEATURES",
    );
  });

  it("fails with the fix when a resource type has no entry (checked on a copy of a real run)", async () => {
    const run = await runStack("prod");
    const extra: RecordedResource = {
      ...run.resources.filter((r) => r.custom)[0],
      type: "aws:cloudfront/function:Function",
      name: "collector-edge",
    };
    assert.throws(
      () => needsOf({ ...run, resources: [...run.resources, extra] }, "a test"),
      /resource type aws:cloudfront\/function:Function \("collector-edge" in a test\) has no entry in iam\/resource-actions.json\. Add one under "resources"/,
    );
  });
});
