/**
 * `npm run preview -- --stack <name>`: what `pulumi preview --policy-pack policy` would show,
 * without AWS or the Pulumi CLI. Runs the real program with the stack's config under the mock
 * runtime and prints each resource (type, name, parent, inputs), the stack outputs, and the policy
 * pack's verdict. Values only AWS knows are shown as marked stand-ins such as <collector-cdn.domainName>.
 */
import { Output } from "../commands/cli";
import { exitCodeOf, parseStackCommand, runCommand } from "./cliArgs";
import {
  checkPolicyConfig,
  enforce,
  formatVerdict,
  resourceCount,
  StackCommandDeps,
  startPackInBackground,
} from "./enforce";
import { ProgramRun, RecordedResource, runProgram, unknownValue } from "./mockRun";
import { formatReplayVerdict } from "./replay";
import { replayForPreview } from "./replay/forPreview";

/** Renders the plan: resources as a tree under their parents, then the outputs. */
export function formatPlan(run: ProgramRun): string {
  const { stack, project } = run.settings;
  const lines = [
    `Previewing stack ${stack} of ${project} (offline, Pulumi mock runtime)`,
    `Region: ${run.provider.inputs.region}`,
    "Values in <angle brackets> are stand-ins for what only AWS knows after the deploy.",
    "",
    `+ pulumi:pulumi:Stack  ${project}-${stack}`,
  ];
  const children = new Map<string | undefined, RecordedResource[]>();
  for (const r of run.resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  const visit = (parent: string | undefined, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      const pad = "    ".repeat(depth);
      const flags = [r.protect ? "protect" : "", r.retainOnDelete ? "retainOnDelete" : ""].filter(Boolean);
      lines.push(`${pad}+ ${r.type}  ${r.name}${flags.length ? `  [${flags.join(", ")}]` : ""}`);
      if (Object.keys(r.inputs).length > 0) {
        for (const [key, value] of flatten(r.inputs)) lines.push(`${pad}      ${key}: ${value}`);
      }
      const explicit = r.dependencies.filter(
        (d) => !Object.values(r.propertyDependencies).flat().includes(d),
      );
      if (explicit.length > 0) {
        lines.push(`${pad}      (dependsOn: ${explicit.map((d) => d.split("::").pop()).join(", ")})`);
      }
      visit(r.urn, depth + 1);
    }
  };
  visit(undefined, 1);
  lines.push("", "Outputs:");
  for (const [key, value] of Object.entries(run.outputs)) lines.push(`    ${key}: ${show(value)}`);
  lines.push("", resourceCount(run));
  return lines.join("\n");
}

function flatten(value: unknown, prefix = ""): [string, string][] {
  if (value !== null && typeof value === "object") {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [`${prefix}[${i}]`, v] as const)
      : Object.entries(value).map(([k, v]) => [prefix ? `${prefix}.${k}` : k, v] as const);
    if (entries.length === 0) return [[prefix, Array.isArray(value) ? "[]" : "{}"]];
    return entries.flatMap(([k, v]) => flatten(v, k));
  }
  return [[prefix, show(value)]];
}

function show(value: unknown): string {
  if (value === unknownValue) return "<known after deploy>";
  if (value === undefined) return "(not set)";
  return typeof value === "string" && value !== "" ? value : JSON.stringify(value);
}

export function main(argv: string[], output: Output, deps: StackCommandDeps = {}): Promise<number> {
  return exitCodeOf(output, async () => {
    const command = parseStackCommand(argv, "preview");
    if (command.help) {
      output.out(command.usage);
      return 0;
    }
    const { settings, policyConfig, program } = command;
    // Every kind of bad input fails before the plan prints: the policy config file, then the
    // stack's config (the program's own check), then the policy config against the pack's schemas.
    const pack = startPackInBackground(policyConfig, deps);
    try {
      const shown = await runProgram({ settings, computed: "stand-in", program });
      // Policies see the plan as `pulumi preview` hands it to them: with AWS's values still unknown.
      const run = await runProgram({ settings, computed: "unknown", program });
      const running = await pack.ready;
      await checkPolicyConfig(policyConfig, running);
      output.out(formatPlan(shown));
      const verdict = await enforce(run, policyConfig, running);
      output.out(`\n${formatVerdict(verdict)}`);
      // What AWS would answer: the plan replayed against its documented refusals (offline/replay/).
      const replay = await replayForPreview(shown, program);
      output.out(`\n${formatReplayVerdict(replay)}`);
      return verdict.passed && replay.accepted ? 0 : 1;
    } finally {
      await pack.release();
    }
  });
}

runCommand(module, main);
