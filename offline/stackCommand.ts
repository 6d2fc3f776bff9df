/**
 * What `npm run preview` and `npm run policy` share: their arguments, the policy pack started
 * before anything else, and its release however the command ends. The pack's start (ts-node
 * type-checking it, about 1.5 s) is the slowest step of both, so a command starts it before it
 * loads the Pulumi runtime, gRPC and the program: those load and run while the pack type-checks.
 * This module keeps to light imports for that reason; the command's body loads the rest.
 */
import type { PolicyPackProcess } from "./analyzer";
import type { Output } from "../commands/cli";
import { exitCodeOf, parseStackCommand, StackCommand } from "./cliArgs";
import { launchPack } from "./packProcess";
import { POLICY_PACK_DIR } from "./paths";
import { readPolicyConfigFile } from "./policyConfigFile";

/** What a command may be handed instead of making it itself. */
export interface StackCommandDeps {
  /** A running pack to use instead of starting one (the specs share one); it is not stopped. */
  pack?: () => Promise<PolicyPackProcess>;
}

/**
 * Parses `argv` for `command` (`--help` prints its usage), starts the pack, and runs `body` with
 * the command and the pack once listening. Bad input fails in this order: the arguments, the
 * policy config file (read before the pack starts), then whatever `body` checks. Resolves with
 * the exit code: `body`'s, or 2 for bad input.
 */
export function runStackCommand(
  argv: string[],
  output: Output,
  deps: StackCommandDeps,
  command: string,
  body: (command: StackCommand, pack: Promise<PolicyPackProcess>) => Promise<number>,
): Promise<number> {
  return exitCodeOf(output, async () => {
    const parsed = parseStackCommand(argv, command);
    if (parsed.help) {
      output.out(parsed.usage);
      return 0;
    }
    readPolicyConfigFile(parsed.policyConfig);
    if (deps.pack) {
      const shared = deps.pack();
      // The body sees a failed start when it awaits the pack; an early error of its own comes first.
      shared.catch(() => undefined);
      return body(parsed, shared);
    }
    const launch = launchPack(POLICY_PACK_DIR, async (spawned, port) =>
      (await import("./analyzer")).PolicyPackProcess.connect(spawned, port),
    );
    try {
      return await body(parsed, launch.ready);
    } finally {
      await launch.cancel();
    }
  });
}
