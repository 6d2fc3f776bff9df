/**
 * `npm run policy -- --stack <name> [--policy-config FILE]`: runs the program under the mock
 * runtime with preview-time unknowns, then the policy pack over the analyzer protocol, and prints
 * every violation. Exits 1 when a mandatory policy fails, 2 on bad input.
 */
import { Diagnostic, PolicyPackProcess } from "./analyzer";
import { Output } from "../commands/cli";
import { exitCodeOf, parseStackCommand, runCommand } from "./cliArgs";
import { ProgramRun, runProgram } from "./mockRun";
import * as path from "path";
import { POLICY_PACK_DIR, PROJECT_DIR } from "./paths";
import { readPolicyConfigFile, resolvePolicyConfig } from "./policyConfig";

export interface Verdict {
  pack: string;
  diagnostics: Diagnostic[];
  /** True when no mandatory policy failed. */
  passed: boolean;
  /** Peak memory of the pack's process in KiB, where the OS tells it. */
  packPeakRssKb?: number;
}

/**
 * Reads the policy config and checks it against the schemas the running pack declares, so that a
 * missing file, bad JSON or a misspelt knob stops a command before it prints anything else.
 */
export async function checkPolicyConfig(policyConfigFile: string, pack: PolicyPackProcess): Promise<void> {
  const raw = readPolicyConfigFile(policyConfigFile);
  resolvePolicyConfig((await pack.info()).policies, raw, policyConfigFile);
}

/** What a command may be handed instead of making it itself. */
export interface StackCommandDeps {
  /** A running pack to use instead of starting one (the specs share one); it is not stopped. */
  pack?: () => Promise<PolicyPackProcess>;
}

export interface BackgroundPack {
  ready: Promise<PolicyPackProcess>;
  /** Stops the pack if this command started it, whether or not it is listening yet. */
  release(): Promise<void>;
}

/**
 * Starts the pack for a command before the program runs: its start (ts-node type-checking the
 * pack) is the slowest step, so it overlaps the program's runs. The policy config file is read
 * first, so that a missing or broken one fails at once.
 */
export function startPackInBackground(policyConfigFile: string, deps: StackCommandDeps = {}): BackgroundPack {
  readPolicyConfigFile(policyConfigFile);
  if (deps.pack) {
    const ready = deps.pack();
    ready.catch(() => undefined);
    return { ready, release: async () => undefined };
  }
  const launch = PolicyPackProcess.launch(POLICY_PACK_DIR);
  return { ready: launch.ready, release: launch.cancel };
}

/**
 * Enforces the pack on a recorded program run, the way `pulumi preview --policy-pack` does. The
 * pack is started for this one verdict unless a running one is passed in (configured afresh, as
 * the CLI configures each pack it starts).
 */
export async function enforce(
  run: ProgramRun,
  policyConfigFile: string,
  running?: PolicyPackProcess,
): Promise<Verdict> {
  const raw = readPolicyConfigFile(policyConfigFile);
  const pack = running ?? (await PolicyPackProcess.start(POLICY_PACK_DIR));
  try {
    return await pack.exclusive(async () => {
      const info = await pack.info();
      await pack.configure(resolvePolicyConfig(info.policies, raw, policyConfigFile));
      await pack.configureStack(run);
      const diagnostics = await pack.analyze(run);
      return {
        pack: `${info.name}@${info.version}`,
        diagnostics,
        passed: !diagnostics.some((d) => d.enforcementLevel === "mandatory"),
        packPeakRssKb: pack.peakRssKb(),
      };
    });
  } finally {
    if (!running) await pack.stop();
  }
}

/**
 * How many resources a run creates, counted as `pulumi preview` counts them: the root Stack and
 * the Collector component included; the default AWS provider, which the engine creates and
 * hands to the policies too, is not counted, as the CLI does not list it.
 */
export function resourceCount(run: ProgramRun): string {
  return (
    `Resources: ${run.resources.length + 1} to create ` +
    "(the stack and the component included; not the default AWS provider)"
  );
}

export function formatVerdict(verdict: Verdict): string {
  const lines = [`Policy pack ${verdict.pack}:`];
  for (const d of verdict.diagnostics) {
    const resource = d.urn ? d.urn.split("::").pop() : "(stack)";
    const type = d.urn ? d.urn.split("::")[2]?.split("$").pop() : "";
    lines.push(`  [${d.enforcementLevel}] ${d.policyName}  ${type} ${resource}`);
    lines.push(`      ${d.message.trim().replace(/\n/g, "\n      ")}`);
  }
  const mandatory = verdict.diagnostics.filter((d) => d.enforcementLevel === "mandatory").length;
  const advisory = verdict.diagnostics.filter((d) => d.enforcementLevel === "advisory").length;
  lines.push(
    verdict.passed
      ? `  passed: no mandatory violations (${advisory} advisory)`
      : `  FAILED: ${mandatory} mandatory violation(s), ${advisory} advisory`,
  );
  return lines.join("\n");
}

export function main(argv: string[], output: Output, deps: StackCommandDeps = {}): Promise<number> {
  return exitCodeOf(output, async () => {
    const command = parseStackCommand(argv, "policy");
    if (command.help) {
      output.out(command.usage);
      return 0;
    }
    const { settings, policyConfig, program } = command;
    // Bad input fails in this order: the policy config file, the stack's config (the program's
    // own check), the policy config against the pack's schemas.
    const pack = startPackInBackground(policyConfig, deps);
    try {
      const run = await runProgram({ settings, computed: "unknown", program });
      const running = await pack.ready;
      await checkPolicyConfig(policyConfig, running);
      const verdict = await enforce(run, policyConfig, running);
      output.out(`Stack ${settings.stack}, policy config ${path.relative(PROJECT_DIR, policyConfig)}`);
      output.out(resourceCount(run));
      output.out(formatVerdict(verdict));
      return verdict.passed ? 0 : 1;
    } finally {
      await pack.release();
    }
  });
}

runCommand(module, main);
