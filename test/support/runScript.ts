import { spawn } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");

export interface ScriptResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command file the way `npm run` does (ts-node, transpiling with swc) and resolves with what it
 * did. Asynchronous, so loopback servers in the test process keep answering meanwhile.
 */
export function runScript(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["-r", path.join(ROOT, "test/support/register.js"), path.join(ROOT, script), ...args],
      {
        cwd: ROOT,
        env,
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}
