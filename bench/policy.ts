/**
 * Benchmark of the offline policy enforcement (`npm run policy -- --stack <s>`): wall time from
 * process start to verdict, and peak memory of the runner and of the policy pack's process.
 * Target: under 10 s per stack on a 2-core machine.
 */
import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";

const exec = promisify(execFile);
const RUNS = 3;
const TARGET_MS = 10000;

interface Once {
  stack: string;
  passed: boolean;
  programMs: number;
  packMs: number;
  runnerPeakRssKb: number;
  packPeakRssKb: number | null;
}

export async function benchPolicy(): Promise<void> {
  const root = path.resolve(__dirname, "..");
  const tsNode = require.resolve("ts-node/dist/bin.js");
  console.log(`Offline policy enforcement, ${RUNS} fresh runs per stack (target < ${TARGET_MS / 1000} s):`);
  for (const stack of ["dev", "prod"]) {
    const walls: number[] = [];
    let last: Once | undefined;
    for (let i = 0; i < RUNS; i++) {
      const started = process.hrtime.bigint();
      const { stdout } = await exec(process.execPath, [tsNode, "--swc", "bench/policyOnce.ts", stack], {
        cwd: root,
      });
      walls.push(Number(process.hrtime.bigint() - started) / 1e6);
      last = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as Once;
    }
    walls.sort((a, b) => a - b);
    const median = walls[Math.floor(walls.length / 2)];
    const mb = (kb: number | null | undefined) => (kb ? `${(kb / 1024).toFixed(0)} MiB` : "n/a");
    console.log(
      `  ${stack}: wall median ${(median / 1000).toFixed(2)} s (min ${(walls[0] / 1000).toFixed(2)}, max ${(
        walls[walls.length - 1] / 1000
      ).toFixed(2)}) ${median < TARGET_MS ? "OK" : "OVER TARGET"}; ` +
        `program ${last?.programMs.toFixed(0)} ms, pack start+verdict ${last?.packMs.toFixed(0)} ms; ` +
        `peak RSS runner ${mb(last?.runnerPeakRssKb)}, pack ${mb(last?.packPeakRssKb)}; verdict ${last?.passed ? "passed" : "FAILED"}`,
    );
  }
}
