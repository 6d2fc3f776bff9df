/**
 * The plan as `npm run preview` prints it: resources as a tree under their parents, each with its
 * inputs, then the stack outputs.
 */
import { ProgramRun, RecordedResource, unknownValue } from "./mockRun";
import { resourceCount } from "./verdict";

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
