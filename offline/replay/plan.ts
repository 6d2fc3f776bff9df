/**
 * The steps of one `pulumi up` (or `destroy`), derived the way the engine derives them: a URN new
 * to the stack is created, a known one with changed inputs updated (or replaced when a
 * replace-on-change input differs), a URN the program no longer declares deleted. Creates,
 * updates and replacements run in the program's dependency order, deletes after all of them in
 * reverse dependency order of the old state.
 *
 * For each step, the two extreme orders the engine may choose: the earliest (only what it waits
 * for, transitively, has run) and the latest (everything that does not wait for it has run).
 */
import { RecordedResource } from "../mockRun";
import { replaceKeys } from "./types";

export type StepOp = "create" | "update" | "replace" | "delete";

export interface Step {
  index: number;
  op: StepOp;
  urn: string;
  type: string;
  name: string;
  /** The declaration the step applies (create, update, replace). */
  next?: RecordedResource;
  /** What the previous deployment left in the stack (update, replace, delete). */
  prev?: RecordedResource;
  /** Indexes of the steps that must run before this one, transitively. */
  ancestors: Set<number>;
  /** Indexes of the steps that wait for this one, transitively. */
  descendants: Set<number>;
}

/** A key-order-independent rendering, so that equal inputs compare equal. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Custom resources only: components make no API call, a dependency on one means its children. */
function transitiveDeps(resources: readonly RecordedResource[]): Map<string, Set<string>> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const children = new Map<string, string[]>();
  for (const r of resources) {
    if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r.urn]);
  }
  const memo = new Map<string, Set<string>>();
  const direct = (urn: string): string[] => {
    const r = byUrn.get(urn);
    if (!r) return [];
    if (!r.custom) return children.get(urn) ?? [];
    return r.dependencies;
  };
  const visit = (urn: string, seen: Set<string>): Set<string> => {
    const known = memo.get(urn);
    if (known) return known;
    const out = new Set<string>();
    for (const d of direct(urn)) {
      if (seen.has(d)) continue;
      const r = byUrn.get(d);
      if (r?.custom) out.add(d);
      for (const t of visit(d, new Set([...seen, d]))) out.add(t);
    }
    memo.set(urn, out);
    return out;
  };
  for (const r of resources) visit(r.urn, new Set([r.urn]));
  return memo;
}

function changeOf(prev: RecordedResource, next: RecordedResource): StepOp | undefined {
  for (const key of replaceKeys(next.type)) {
    if (canonical(prev.inputs[key]) !== canonical(next.inputs[key])) return "replace";
  }
  return canonical(prev.inputs) === canonical(next.inputs) ? undefined : "update";
}

/** The steps from `previous` (the stack's resources, empty for a new stack) to `next` (none: destroy). */
export function planSteps(previous: readonly RecordedResource[], next: readonly RecordedResource[]): Step[] {
  const old = new Map(previous.filter((r) => r.custom).map((r) => [r.urn, r]));
  const nextUrns = new Set(next.map((r) => r.urn));
  const steps: Step[] = [];
  const add = (s: Omit<Step, "index" | "ancestors" | "descendants">) =>
    steps.push({ ...s, index: steps.length, ancestors: new Set(), descendants: new Set() });

  for (const r of next) {
    if (!r.custom) continue;
    const prev = old.get(r.urn);
    const op = prev ? changeOf(prev, r) : "create";
    if (op) add({ op, urn: r.urn, type: r.type, name: r.name, next: r, prev });
  }
  const mainCount = steps.length;
  // Reverse registration order is a reverse dependency order: a resource registers after what it uses.
  for (const r of [...previous].reverse()) {
    if (r.custom && !nextUrns.has(r.urn))
      add({ op: "delete", urn: r.urn, type: r.type, name: r.name, prev: r });
  }

  const nextDeps = transitiveDeps(next);
  const oldDeps = transitiveDeps(previous);
  const mainByUrn = new Map(steps.slice(0, mainCount).map((s) => [s.urn, s]));
  const deleteByUrn = new Map(steps.slice(mainCount).map((s) => [s.urn, s]));
  const link = (before: Step, after: Step) => {
    after.ancestors.add(before.index);
    before.descendants.add(after.index);
  };
  for (const s of steps.slice(0, mainCount)) {
    for (const d of nextDeps.get(s.urn) ?? []) {
      const before = mainByUrn.get(d);
      if (before) link(before, s);
    }
  }
  for (const d of steps.slice(mainCount)) {
    for (const s of steps.slice(0, mainCount)) link(s, d);
    // X is deleted only after everything that used X is gone.
    for (const [urn, deps] of oldDeps) {
      const dependent = deleteByUrn.get(urn);
      if (dependent && deps.has(d.urn)) link(dependent, d);
    }
  }
  return steps;
}

/** The steps that have run when `step` runs as early as the engine may run it, in order. */
export function earliestBefore(steps: readonly Step[], step: Step): Step[] {
  return steps.filter((s) => step.ancestors.has(s.index));
}

/** The steps that have run when `step` runs as late as the engine may run it, in order. */
export function latestBefore(steps: readonly Step[], step: Step): Step[] {
  return steps.filter((s) => s.index !== step.index && !step.descendants.has(s.index));
}
