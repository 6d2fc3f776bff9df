/**
 * Replays a plan against the stand-in account: every step checked by every rule in both orders
 * the engine may run it (earliest, latest); a step refused in either is refused, what waits for
 * it does not run, and a failed update runs no deletes (the engine stops before its delete
 * phase). Steps that do not wait for a refused one are taken to have run: the engine lets
 * independent steps finish. Deterministic: the same plans give the same verdict.
 */
import { ProgramRun, RecordedResource } from "../mockRun";
import { LOG_DELIVERY_CANONICAL_USER_ID } from "../standIns";
import { Account, copyAccount, newAccount } from "./account";
import { applyStep, EffectContext } from "./effects";
import { earliestBefore, latestBefore, planSteps, Step } from "./plan";
import { References } from "./references";
import { Rule } from "./rule";
import { RULES } from "./rules/all";
import { allowsService } from "./s3Policy";

/** Which order the engine would have to choose for the refusal to happen. */
export type Ordering = "earliest" | "latest";

export interface Refusal {
  urn: string;
  type: string;
  name: string;
  op: Step["op"];
  code: string;
  message: string;
  rule: string;
  source: string;
  /** The orders in which AWS refuses the call: both, or only one of them. */
  orderings: Ordering[];
}

export type Outcome = "done" | "refused" | "not run";

export interface StepResult {
  step: Step;
  outcome: Outcome;
  /** For "not run": the refused step it waits for, or why the delete phase never came. */
  reason?: string;
}

/** What a deployment left behind: the stack's resources and the account. */
export interface Deployed {
  resources: RecordedResource[];
  account: Account;
  region: string;
}

export interface ReplayResult {
  /** Which stack and operation, for the verdict's heading. */
  operation: string;
  steps: StepResult[];
  refusals: Refusal[];
  accepted: boolean;
  /** The state the next replay starts from. */
  after: Deployed;
}

export const EMPTY: Deployed = { resources: [], account: newAccount(), region: "" };

function check(
  rules: readonly Rule[],
  steps: readonly Step[],
  step: Step,
  from: Account,
  ctx: EffectContext,
) {
  const resource = step.op === "delete" ? step.prev : step.next;
  if (!resource) return [];
  const applicable = rules.filter((r) => r.types.includes(step.type) && r.ops.includes(step.op));
  const engineWide = rules.filter((r) => r.types.includes("*") && r.ops.includes(step.op));
  const found = new Map<string, Refusal>();
  for (const [ordering, before] of [
    ["earliest", earliestBefore(steps, step)],
    ["latest", latestBefore(steps, step)],
  ] as const) {
    const account = copyAccount(from);
    for (const s of before) applyStep(account, s, ctx);
    for (const rule of [...engineWide, ...applicable]) {
      const answer = rule.check({ ...ctx, step, resource, account });
      if (!answer) continue;
      const known = found.get(rule.id);
      if (known) known.orderings.push(ordering);
      else {
        found.set(rule.id, {
          urn: step.urn,
          type: step.type,
          name: step.name,
          op: step.op,
          ...answer,
          rule: rule.id,
          source: rule.source,
          orderings: [ordering],
        });
      }
    }
  }
  return [...found.values()];
}

/**
 * Log files arrive between deployments: CloudFront writes legacy logs to a bucket whose ACL
 * grants its log-delivery account, CloudWatch Logs delivers v2 logs where the bucket policy
 * admits it. A bucket that received them is not empty, which matters to a later delete.
 */
function trafficArrives(account: Account): void {
  for (const [urn, d] of Object.entries(account.distributions)) {
    const bucket = d.loggingBucket ? account.buckets[d.loggingBucket] : undefined;
    if (!bucket || bucket.ownership === "BucketOwnerEnforced") continue;
    if (!bucket.grants.some((g) => g.grantee === LOG_DELIVERY_CANONICAL_USER_ID)) continue;
    const key = `legacy-log-of ${urn}`;
    if (!bucket.objects.includes(key)) bucket.objects.push(key);
  }
  for (const [urn, delivery] of Object.entries(account.deliveries)) {
    const destination = delivery.destination ? account.deliveryDestinations[delivery.destination] : undefined;
    const bucket = destination?.bucket ? account.buckets[destination.bucket] : undefined;
    if (!bucket || !destination?.resourceArn) continue;
    const key = `${destination.resourceArn}/v2-log`;
    if (!allowsService(bucket.policy, "delivery.logs.amazonaws.com", "s3:PutObject", key)) continue;
    const name = `v2-log-of ${urn}`;
    if (!bucket.objects.includes(name)) bucket.objects.push(name);
  }
}

function replay(
  operation: string,
  from: Deployed,
  next: readonly RecordedResource[],
  region: string,
  rules: readonly Rule[],
): ReplayResult {
  const steps = planSteps(from.resources, next);
  const refs = new References(from.resources, next);
  const ctx: EffectContext = { refs, region };
  const results: StepResult[] = [];
  const refusals: Refusal[] = [];
  const failed = new Map<number, string>();
  let mainFailed = false;
  for (const step of steps) {
    const blocker = [...step.ancestors].find((i) => failed.has(i));
    if (step.op === "delete" && mainFailed) {
      results.push({ step, outcome: "not run", reason: "the update stopped before its delete phase" });
      failed.set(step.index, step.name);
      continue;
    }
    if (blocker !== undefined) {
      results.push({ step, outcome: "not run", reason: `waits for ${failed.get(blocker)}` });
      failed.set(step.index, step.name);
      continue;
    }
    const found = check(rules, steps, step, from.account, ctx);
    if (found.length > 0) {
      refusals.push(...found);
      results.push({ step, outcome: "refused" });
      failed.set(step.index, step.name);
      if (step.op !== "delete") mainFailed = true;
    } else results.push({ step, outcome: "done" });
  }

  // The account and stack after the run: the steps that ran, in order.
  const account = copyAccount(from.account);
  const stack = new Map(from.resources.map((r) => [r.urn, r]));
  for (const { step, outcome } of results) {
    if (outcome !== "done") continue;
    applyStep(account, step, ctx);
    if (step.op === "delete") stack.delete(step.urn);
    else if (step.next) stack.set(step.urn, step.next);
  }
  // Unchanged resources take the new options (protect, retainOnDelete) without any call.
  for (const r of next) if (stack.has(r.urn) && !steps.some((s) => s.urn === r.urn)) stack.set(r.urn, r);
  trafficArrives(account);
  const order = [...next.map((r) => r.urn), ...from.resources.map((r) => r.urn)];
  const resources = [...stack.values()].sort((a, b) => order.indexOf(a.urn) - order.indexOf(b.urn));
  return {
    operation,
    steps: results,
    refusals,
    accepted: refusals.length === 0,
    after: { resources, account, region },
  };
}

/** `pulumi up` of `run`, from a new account or from what an earlier replay left. */
export function replayUp(
  run: ProgramRun,
  from: Deployed = EMPTY,
  rules: readonly Rule[] = RULES,
): ReplayResult {
  const first = from.resources.length === 0;
  const operation = `${first ? "a first up" : "an up"} of stack ${run.settings.stack}`;
  return replay(operation, from, run.resources, run.provider.inputs.region, rules);
}

/** `pulumi destroy` of what an earlier replay left. */
export function replayDestroy(from: Deployed, rules: readonly Rule[] = RULES): ReplayResult {
  return replay("a destroy", from, [], from.region, rules);
}
