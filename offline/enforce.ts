/**
 * `npm run policy -- --stack <name> [--policy-config FILE]`: runs the program under the mock
 * runtime with preview-time unknowns, then the policy pack over the analyzer protocol, and prints
 * every violation. Exits 1 when a mandatory policy fails, 2 on bad input.
 */
import * as path from "path";
import type { Output } from "../commands/cli";
import { runCommand } from "./cliArgs";
import { PROJECT_DIR } from "./paths";
import { runStackCommand, StackCommandDeps } from "./stackCommand";

export function main(argv: string[], output: Output, deps: StackCommandDeps = {}): Promise<number> {
  return runStackCommand(argv, output, deps, "policy", async ({ settings, policyConfig, program }, pack) => {
    // Loaded while the pack type-checks (stackCommand.ts).
    const { runProgram } = await import("./mockRun");
    const { checkPolicyConfig, enforce, formatVerdict, resourceCount } = await import("./verdict");
    // After the arguments and the policy config file: the stack's config (the program's own
    // check), then the policy config against the pack's schemas.
    const run = await runProgram({ settings, computed: "unknown", program });
    const running = await pack;
    await checkPolicyConfig(policyConfig, running);
    const verdict = await enforce(run, policyConfig, running);
    output.out(`Stack ${settings.stack}, policy config ${path.relative(PROJECT_DIR, policyConfig)}`);
    output.out(resourceCount(run));
    output.out(formatVerdict(verdict));
    return verdict.passed ? 0 : 1;
  });
}

runCommand(module, main);
