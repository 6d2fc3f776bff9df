/**
 * `npm run policy -- --stack <name> [--policy-config FILE]`: runs the program under the mock
 * runtime with preview-time unknowns, then the policy pack over the analyzer protocol, and prints
 * every violation. Exits 1 when a mandatory policy fails, 2 on bad input.
 */
import * as path from "path";
import { Diagnostic, POLICY_PACK_DIR, PolicyPackProcess } from "./analyzer";
import { parseArgs } from "./cliArgs";
import { PROJECT_DIR, ProgramRun, runProgram } from "./mockRun";
import { readPolicyConfigFile, resolvePolicyConfig } from "./policyConfig";
import { loadStackSettings } from "./stackConfig";

export interface Verdict {
  pack: string;
  diagnostics: Diagnostic[];
  /** True when no mandatory policy failed. */
  passed: boolean;
  /** Peak memory of the pack's process in KiB, where the OS tells it. */
  packPeakRssKb?: number;
}

/** The policy config a stack is enforced with: policy/config/<stack>.json. */
export function defaultPolicyConfig(stack: string): string {
  return path.join(POLICY_PACK_DIR, "config", `${stack}.json`);
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
  } finally {
    if (!running) pack.stop();
  }
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

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(
    argv,
    { stack: "string", "policy-config": "string", program: "string" },
    "npm run policy -- --stack <dev|prod> [--policy-config FILE] [--program FILE]",
  );
  const stack = args.stack;
  if (!stack) throw new Error("missing --stack: name the stack to enforce, e.g. --stack prod");
  const settings = loadStackSettings(PROJECT_DIR, stack);
  const program = args.program ? path.resolve(args.program) : undefined;
  const run = await runProgram({ settings, computed: "unknown", program });
  const verdict = await enforce(run, args["policy-config"] ?? defaultPolicyConfig(stack));
  console.log(`Stack ${stack}: ${run.resources.length} resources under preview`);
  console.log(formatVerdict(verdict));
  return verdict.passed ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(`error: ${err.message}`);
      process.exit(2);
    },
  );
}
