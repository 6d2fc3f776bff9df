/**
 * `npm run preview -- --stack <name>`: what `pulumi preview --policy-pack policy` would show,
 * without AWS or the Pulumi CLI. Runs the real program with the stack's config under the mock
 * runtime and prints each resource (type, name, parent, inputs), the stack outputs, and the policy
 * pack's verdict. Values only AWS knows are shown as marked stand-ins such as <collector-cdn.domainName>.
 */
import type { Output } from "../commands/cli";
import { runCommand } from "./cliArgs";
import { runStackCommand, StackCommandDeps } from "./stackCommand";

export function main(argv: string[], output: Output, deps: StackCommandDeps = {}): Promise<number> {
  return runStackCommand(argv, output, deps, "preview", async ({ settings, policyConfig, program }, pack) => {
    // Loaded while the pack type-checks (stackCommand.ts).
    const { runProgram } = await import("./mockRun");
    const { checkPolicyConfig, enforce, formatVerdict } = await import("./verdict");
    const { formatPlan } = await import("./planText");
    const { formatReplayVerdict } = await import("./replay");
    const { replayForPreview } = await import("./replay/forPreview");
    // After the arguments and the policy config file, every kind of bad input fails before the
    // plan prints: the stack's config (the program's own check), then the policy config against
    // the pack's schemas.
    const shown = await runProgram({ settings, computed: "stand-in", program });
    // Policies see the plan as `pulumi preview` hands it to them: with AWS's values still unknown.
    const run = await runProgram({ settings, computed: "unknown", program });
    const running = await pack;
    await checkPolicyConfig(policyConfig, running);
    output.out(formatPlan(shown));
    const verdict = await enforce(run, policyConfig, running);
    output.out(`\n${formatVerdict(verdict)}`);
    // What AWS would answer: the plan replayed against its documented refusals (offline/replay/).
    const replay = await replayForPreview(shown, program);
    output.out(`\n${formatReplayVerdict(replay)}`);
    return verdict.passed && replay.accepted ? 0 : 1;
  });
}

runCommand(module, main);
