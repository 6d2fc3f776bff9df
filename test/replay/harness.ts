/** Runs the minimal programs (programs/minimal.ts) for the replay's rule specs. */
import * as path from "path";
import { ProgramRun, runProgram } from "../../offline/mockRun";
import { ReplayResult } from "../../offline/replay";

const MINIMAL = path.join(__dirname, "programs", "minimal.ts");

/**
 * One minimal program: `case` picks it, the rest is its `minimal:` config. Await each run before
 * the next: the mock runtime is process-wide.
 */
export function runMinimal(
  which: string,
  config: Record<string, string | number | boolean> = {},
): Promise<ProgramRun> {
  const settings = {
    project: "replay-minimal",
    stack: "spec",
    config: {
      "aws:region": "eu-west-1",
      "minimal:case": which,
      ...Object.fromEntries(Object.entries(config).map(([k, v]) => [`minimal:${k}`, String(v)])),
    },
  };
  return runProgram({ settings, computed: "stand-in", program: MINIMAL });
}

/** The refusals as `name: code (orderings)` lines, for compact assertions. */
export function refusalsOf(result: ReplayResult): string[] {
  return result.refusals.map((r) => `${r.name}: ${r.code} (${r.orderings.join(", ")})`);
}
