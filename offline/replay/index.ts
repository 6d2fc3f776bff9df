/**
 * The replay: a plan recorded under the mock runtime (offline/mockRun.ts) applied, step by step,
 * to a stand-in AWS account that answers the way AWS's documentation (and public issues) say AWS
 * answers. It encodes documented refusals only: it is not AWS, and a clean replay is no proof of
 * a clean deploy, only that none of the refusals below happens. The component never imports it.
 *
 *   const first = replayUp(await runProgram({ settings, computed: "stand-in" }));
 *   const next = replayUp(otherRun, first.after);      // an update of that stack
 *   const gone = replayDestroy(next.after);
 *
 * Each step is checked in the two orders the engine may run it (plan.ts): the earliest, when only
 * what it waits for has run, and the latest, when everything that does not wait for it has. A rule
 * firing in either is a refusal.
 *
 * How a rule is added (one small unit per rule):
 * 1. A file in rules/ exporting one `Rule` (rule.ts): an `id`, the `source` (the AWS documentation
 *    page, or the public issue where users hit the refusal), the resource `types` and step `ops`
 *    it looks at, and `check(ctx)` returning AWS's error code and message, or undefined.
 *    `ctx.account` is the account as the step finds it; `ctx.refs` finds what an input points
 *    at (e.g. `ctx.refs.to(resource, "bucket", TYPES.bucket)`).
 * 2. If the rule depends on state the account does not hold yet, add it to account.ts (with
 *    AWS's default for a new account) and set it in effects.ts where the provider's call sets it.
 *    A new resource type goes into types.ts (and its replace-on-change inputs there).
 * 3. Add it to RULES in rules/all.ts.
 * 4. A spec in test/replay/rules/ with a minimal program (a few resources declared under the mock
 *    runtime) that the rule refuses, and the corrected program that it accepts.
 */
export { Account, newAccount } from "./account";
export { Deployed, EMPTY, Refusal, ReplayResult, replayDestroy, replayUp } from "./replay";
export { Rule, RuleContext } from "./rule";
export { RULES } from "./rules/all";
export { formatReplayVerdict } from "./verdict";
