import { spawn } from "child_process";
import * as path from "path";
import { ScriptResult } from "./runScript";

const ROOT = path.resolve(__dirname, "../..");

/**
 * Runs `npm run --silent ARGS` in the project, with the npm that runs the suite when there is
 * one: for the few specs of the wiring itself (npm's flags, the scripts of package.json).
 */
export function npmRun(args: string[]): Promise<ScriptResult> {
  const npmCli = process.env.npm_execpath;
  const [command, prefix] = npmCli ? [process.execPath, [npmCli]] : ["npm", []];
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...prefix, "run", "--silent", ...args], { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}
