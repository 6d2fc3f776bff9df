/**
 * The developer's feedback loop, measured: `npm test` (suite wall time) and `npm run preview --
 * --stack prod` (wall and CPU), each run RUNS times, medians beside their targets. The preview is
 * measured twice: as it runs again and again while the program is edited (the pack unchanged, its
 * last passed type-check standing), and as the first preview after an edit to the pack (the
 * record of that check removed before each run, so TypeScript checks the pack). CPU is the
 * user+system time of every process the run waited for (the policy pack included), read from
 * /proc/self/stat's children's times (Linux); on a loaded machine it is the steadier figure.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { POLICY_PACK_DIR } from "../offline/paths";
import { recordPath } from "../offline/packTypeCheckCache";

const RUNS = 3;
const ROOT = path.resolve(__dirname, "..");
/** Clock ticks per second for /proc's times: USER_HZ, 100 on every Linux Node runs on. */
const USER_HZ = 100;

interface Measured {
  wallS: number;
  /** Undefined where /proc does not tell it. */
  cpuS?: number;
  code: number | null;
}

/** CPU seconds of this process's waited-for children so far, or undefined without /proc. */
function childrenCpuS(): number | undefined {
  try {
    // Fields after the command name: state is field 3; cutime and cstime are fields 16 and 17.
    const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
    return (Number(fields[13]) + Number(fields[14])) / USER_HZ;
  } catch {
    return undefined;
  }
}

function measure(command: string, args: string[]): Promise<Measured> {
  const cpuBefore = childrenCpuS();
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallS = Number(process.hrtime.bigint() - started) / 1e9;
      const cpuAfter = childrenCpuS();
      if (code !== 0) console.error(`  ${command} ${args.join(" ")} exited ${code}:\n${stderr}`);
      resolve({
        wallS,
        cpuS: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
        code,
      });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function benchOne(
  label: string,
  args: string[],
  targetS: number,
  beforeEach: () => void = () => undefined,
): Promise<void> {
  const runs: Measured[] = [];
  for (let i = 0; i < RUNS; i++) {
    beforeEach();
    runs.push(await measure("npm", args));
  }
  const walls = runs.map((r) => r.wallS);
  const cpus = runs.map((r) => r.cpuS).filter((c): c is number => c !== undefined);
  const wall = median(walls);
  const failed = runs.filter((r) => r.code !== 0).length;
  console.log(
    `  ${label}: wall median ${wall.toFixed(1)} s (min ${Math.min(...walls).toFixed(1)}, max ` +
      `${Math.max(...walls).toFixed(1)}; target <= ${targetS} s) ${wall <= targetS ? "OK" : "OVER TARGET"}; ` +
      `CPU median ${cpus.length ? `${median(cpus).toFixed(1)} s` : "n/a"}` +
      (failed ? `; ${failed} of ${RUNS} runs FAILED` : ""),
  );
}

export async function benchFeedback(): Promise<void> {
  // npm test does not run the bench; the bench must not be run from npm test either.
  if (process.env.npm_lifecycle_event === "test")
    throw new Error("bench/feedback.ts runs npm test: not from npm test");
  console.log(`Feedback loop, ${RUNS} runs each, medians (wall on an idle machine is the target):`);
  const preview = ["run", "--silent", "preview", "--", "--stack", "prod"];
  // The first run writes the record the next ones stand on, unless one is there already.
  await measure("npm", preview);
  await benchOne("npm run preview -- --stack prod", preview, 3);
  await benchOne("the same, the pack's type-check run afresh (as after an edit to policy/)", preview, 3, () =>
    fs.rmSync(recordPath(POLICY_PACK_DIR), { force: true }),
  );
  await benchOne("npm test", ["test"], 60);
}
