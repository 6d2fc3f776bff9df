/**
 * The workflows as far as they can be checked without GitHub: actions on majors that run on
 * Node 24 and the Node version from .nvmrc in every one; for ci.yml, the per-stack policy configs
 * and the one-time stack creation it relies on, which docs/deploy.md must describe the same way;
 * for integration.yml, that it stays off without its secret and variable, deploys a stack of its
 * own, and tears it down whatever happened before.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { EVENTS_TABLE, eventsTableFor } from "../collector/analytics/eventsTable";
import { namedQueries } from "../collector/analytics/namedQueries";
import { PROJECT_DIR } from "../offline/paths";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  needs?: string | string[];
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  steps: Step[];
  strategy?: { matrix?: { stack?: string[] } };
}
interface Workflow {
  on: Record<string, unknown>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, Job>;
}

const read = (file: string) => fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
const WORKFLOWS = fs
  .readdirSync(path.join(PROJECT_DIR, ".github/workflows"))
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((f) => `.github/workflows/${f}`);
const load = (file: string) => yaml.load(read(file)) as Workflow;
const stepsOf = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((j) => j.steps);
/** The page that tells a deployer how to set CI up. */
const DEPLOY_DOC = "docs/deploy.md";
const deployDoc = read(DEPLOY_DOC);

/**
 * The first major of each action whose action.yml says `runs.using: node24`, from the actions'
 * own repositories: setup-node's action.yml at v6 (2028fbc) reads node24 and its README dates the
 * switch to v5; checkout PR #2226 ("Update actions checkout to use node 24") shipped as v5.0.0;
 * configure-aws-credentials release PR #1641 (6.0.0: "Update action to use node24", v5 was still
 * node20, issue #1593); pulumi/actions PR #1404 (node20 to node24) released as v7.0.0 (#1407),
 * while v6.6.1's action.yml declares node20 (issue #1403).
 */
const NODE24_FLOOR: Record<string, number> = {
  "actions/checkout": 5,
  "actions/setup-node": 5,
  "aws-actions/configure-aws-credentials": 6,
  "pulumi/actions": 7,
};

describe("the workflows", () => {
  it("are ci.yml and integration.yml", () => {
    assert.deepStrictEqual(WORKFLOWS, [".github/workflows/ci.yml", ".github/workflows/integration.yml"]);
  });

  for (const file of WORKFLOWS) {
    const steps = stepsOf(load(file));
    it(`${file} uses only actions on a major that runs on Node 24`, () => {
      const used = steps.filter((s) => s.uses).map((s) => s.uses as string);
      assert.ok(used.length > 0);
      for (const uses of used) {
        const [name, ref] = uses.split("@");
        assert.ok(
          name in NODE24_FLOOR,
          `${uses}: an action not checked for its runtime; check its action.yml`,
        );
        const major = Number(/^v(\d+)$/.exec(ref)?.[1]);
        assert.ok(
          major >= NODE24_FLOOR[name],
          `${uses}: v${NODE24_FLOOR[name]} is the first major on node24`,
        );
      }
    });

    it(`${file} takes Node's version from .nvmrc`, () => {
      const setups = steps.filter((s) => s.uses?.startsWith("actions/setup-node@"));
      assert.ok(setups.length > 0);
      for (const s of setups) assert.strictEqual(s.with?.["node-version-file"], ".nvmrc");
    });
  }
});

describe("the CI workflow (.github/workflows/ci.yml)", () => {
  const workflow = load(".github/workflows/ci.yml");
  const steps = stepsOf(workflow);

  it("previews each stack with its own policy config, on stacks created once beforehand", () => {
    const stacks = workflow.jobs.preview.strategy?.matrix?.stack ?? [];
    assert.deepStrictEqual(stacks, ["dev", "prod"]);
    for (const stack of stacks)
      assert.ok(fs.existsSync(path.join(PROJECT_DIR, `policy/config/${stack}.json`)));
    const pulumi = steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
    assert.strictEqual(pulumi?.with?.policyPackConfigs, "policy/config/${{ matrix.stack }}.json");
    // The one choice, made the same in both places: stacks are created by hand, never by a preview.
    assert.ok(
      !["true", true].includes(pulumi?.with?.upsert as string),
      `no upsert: ${DEPLOY_DOC} says stack init`,
    );
    for (const stack of stacks) {
      assert.match(
        deployDoc,
        new RegExp(`pulumi stack init <org>/${stack}`),
        `${DEPLOY_DOC}: stack init ${stack}`,
      );
    }
  });

  it(`and ${DEPLOY_DOC} name the deploy role's policy file`, () => {
    assert.ok(fs.existsSync(path.join(PROJECT_DIR, "iam/deploy-policy.json")));
    assert.match(read(".github/workflows/ci.yml"), /iam\/deploy-policy\.json/);
    assert.match(deployDoc, /iam\/deploy-policy\.json/);
  });
});

describe("the real-AWS integration workflow (.github/workflows/integration.yml)", () => {
  const FILE = ".github/workflows/integration.yml";
  const workflow = load(FILE);
  const job = workflow.jobs.aws;
  const runs = job.steps.map((s) => s.run ?? "");
  const indexOf = (pattern: RegExp) => runs.findIndex((r) => pattern.test(r));

  it("runs by hand or on a schedule, never on a push or pull request", () => {
    assert.deepStrictEqual(Object.keys(workflow.on).sort(), ["schedule", "workflow_dispatch"]);
  });

  it("is off unless the repository has the secret and the variable: the job waits on a gate reading them", () => {
    const gate = workflow.jobs[job.needs as string];
    assert.ok(gate, "the job needs a gate job");
    assert.match(job.if ?? "", /^needs\.gate\.outputs\.enabled == 'true'$/);
    const check = gate.steps.find((s) => s.env !== undefined);
    assert.match(check?.env?.HAS_TOKEN ?? "", /secrets\.PULUMI_ACCESS_TOKEN != ''/);
    assert.match(check?.env?.HAS_ROLE ?? "", /vars\.AWS_INTEGRATION_ROLE_ARN != ''/);
    assert.match(check?.run ?? "", /enabled=false/);
    assert.strictEqual(gate.outputs?.enabled, "${{ steps.check.outputs.enabled }}");
  });

  it("is never cancelled mid-deploy by the next run", () => {
    assert.strictEqual(workflow.concurrency?.["cancel-in-progress"], false);
  });

  it("deploys a stack of its own per run, with prod's settings and only the protection off", () => {
    assert.match(job.env?.STACK_NAME ?? "", /\$\{\{ github\.run_id \}\}-\$\{\{ github\.run_attempt \}\}/);
    const create = runs[indexOf(/pulumi stack init/)];
    assert.match(create, /cp Pulumi\.prod\.yaml "Pulumi\.\$STACK_NAME\.yaml"/);
    assert.match(create, /pulumi config set protectLogBucket false --stack "\$STACK"/);
    const up = runs[indexOf(/pulumi up/)];
    assert.match(up, /--policy-pack policy/);
    assert.match(up, /--policy-pack-config policy\/config\/prod-teardown\.json/);
    // prod-teardown.json is prod.json with requireProtect relaxed and nothing else.
    const prod = JSON.parse(read("policy/config/prod.json"));
    const teardown = JSON.parse(read("policy/config/prod-teardown.json"));
    assert.deepStrictEqual(teardown, { ...prod, "log-bucket-protected": { requireProtect: false } });
  });

  it("checks the live pixel, waits for the test event's log file, then finds it with a named query", () => {
    const up = indexOf(/pulumi up/);
    const verify = indexOf(/npm run --silent verify -- --stack "\$STACK" --logs/);
    const query = indexOf(/npm run --silent query -- --stack "\$STACK" --named/);
    assert.ok(up >= 0 && up < verify && verify < query, "up, then verify --logs, then query");
    const named = /--named ([\w-]+)/.exec(runs[query])?.[1];
    const known = namedQueries(eventsTableFor(EVENTS_TABLE, "v2")).map((q) => q.name);
    assert.ok(known.includes(named ?? ""), `--named ${named}: one of ${known.join(", ")}`);
  });

  it("tears the stack down in its last step, always, even after a failure or a cancel", () => {
    const last = job.steps[job.steps.length - 1];
    assert.strictEqual(last.if, "always()");
    assert.strictEqual(last.run, 'bash .ci/integration-teardown.sh "$STACK"');
    assert.ok(fs.existsSync(path.join(PROJECT_DIR, ".ci/integration-teardown.sh")));
    assert.ok(
      job.steps.slice(0, -1).every((s) => s.if === undefined),
      "no step before it is skipped on purpose",
    );
  });

  it(`is described in ${DEPLOY_DOC}, with the policies its role needs`, () => {
    assert.match(deployDoc, /\.github\/workflows\/integration\.yml/);
    assert.match(deployDoc, /iam\/deploy-policy\.json/);
    assert.match(deployDoc, /iam\/reader-policy\.json/);
    assert.match(deployDoc, /AWS_INTEGRATION_ROLE_ARN/);
    assert.match(read(FILE), /iam\/reader-policy\.json/);
  });
});
