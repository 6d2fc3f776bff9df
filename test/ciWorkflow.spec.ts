/**
 * The CI workflow as far as it can be checked without GitHub: actions on majors that run on
 * Node 24, the Node version from .nvmrc, the per-stack policy configs it names, and the one-time
 * stack creation it relies on, which docs/deploy.md must describe the same way.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { PROJECT_DIR } from "../offline/paths";

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  jobs: Record<string, { steps: Step[]; strategy?: { matrix?: { stack?: string[] } } }>;
}

const WORKFLOW = ".github/workflows/ci.yml";
const read = (file: string) => fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
const workflowText = read(WORKFLOW);
const workflow = yaml.load(workflowText) as Workflow;
/** The page that tells a deployer how to set CI up. */
const DEPLOY_DOC = "docs/deploy.md";
const deployDoc = read(DEPLOY_DOC);
const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);

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

describe(`the CI workflow (${WORKFLOW})`, () => {
  it("uses only actions on a major that runs on Node 24", () => {
    const used = steps.filter((s) => s.uses).map((s) => s.uses as string);
    assert.ok(used.length > 0);
    for (const uses of used) {
      const [name, ref] = uses.split("@");
      assert.ok(name in NODE24_FLOOR, `${uses}: an action not checked for its runtime; check its action.yml`);
      const major = Number(/^v(\d+)$/.exec(ref)?.[1]);
      assert.ok(major >= NODE24_FLOOR[name], `${uses}: v${NODE24_FLOOR[name]} is the first major on node24`);
    }
  });

  it("takes Node's version from .nvmrc", () => {
    const setups = steps.filter((s) => s.uses?.startsWith("actions/setup-node@"));
    assert.ok(setups.length > 0);
    for (const s of setups) assert.strictEqual(s.with?.["node-version-file"], ".nvmrc");
  });

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
    assert.match(workflowText, /iam\/deploy-policy\.json/);
    assert.match(deployDoc, /iam\/deploy-policy\.json/);
  });
});
