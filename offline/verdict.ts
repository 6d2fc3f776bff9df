/**
 * A recorded program run judged by the policy pack, the way `pulumi preview --policy-pack` judges
 * a plan: the pack configured with the policy config, then Analyze and AnalyzeStack over the
 * analyzer protocol (analyzer.ts), and the verdict as text.
 */
import { Diagnostic, PolicyPackProcess } from "./analyzer";
import { ProgramRun } from "./mockRun";
import { POLICY_PACK_DIR } from "./paths";
import { resolvePolicyConfig } from "./policyConfig";
import { readPolicyConfigFile } from "./policyConfigFile";

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
