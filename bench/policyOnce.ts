/**
 * One offline enforcement of one stack, as `npm run policy` does it, reporting its own numbers as
 * JSON on stdout: started afresh by bench/policy.ts so each measurement includes start-up.
 */
import { enforce } from "../offline/verdict";
import { runProgram } from "../offline/mockRun";
import { defaultPolicyConfig, PROJECT_DIR } from "../offline/paths";
import { loadStackSettings } from "../offline/stackConfig";

async function main(stack: string): Promise<void> {
  const started = process.hrtime.bigint();
  const run = await runProgram({ settings: loadStackSettings(PROJECT_DIR, stack), computed: "unknown" });
  const programMs = Number(process.hrtime.bigint() - started) / 1e6;
  const verdict = await enforce(run, defaultPolicyConfig(stack));
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(
    JSON.stringify({
      stack,
      passed: verdict.passed,
      programMs,
      packMs: totalMs - programMs,
      runnerPeakRssKb: process.resourceUsage().maxRSS,
      packPeakRssKb: verdict.packPeakRssKb ?? null,
    }),
  );
}

main(process.argv[2] ?? "prod").catch((e: Error) => {
  console.error(e.message);
  process.exit(2);
});
