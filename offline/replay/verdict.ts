/** The replay's verdict as `npm run preview` prints it. */
import { ReplayResult } from "./replay";

export function formatReplayVerdict(result: ReplayResult): string {
  const heading = `Replay of ${result.operation} against AWS's documented refusals (offline, not AWS):`;
  if (result.accepted) {
    return `${heading}\n    ${result.operation.replace(/^a(n)? /, (m) => m[0].toUpperCase() + m.slice(1))} would be accepted (${result.steps.length} steps).`;
  }
  const lines = [heading];
  for (const r of result.refusals) {
    const order =
      r.orderings.length === 2
        ? "in any order"
        : r.orderings[0] === "earliest"
          ? "when it runs as soon as what it waits for is done"
          : "when what it does not wait for has already run";
    lines.push(`    refused: ${r.op} ${r.type}  ${r.name}  (${order})`);
    lines.push(`        ${r.code}: ${r.message}`);
    lines.push(`        rule ${r.rule}; source: ${r.source}`);
  }
  const notRun = result.steps.filter((s) => s.outcome === "not run");
  if (notRun.length > 0) {
    lines.push(`    not run: ${notRun.map((s) => `${s.step.name} (${s.reason})`).join("; ")}`);
  }
  return lines.join("\n");
}
