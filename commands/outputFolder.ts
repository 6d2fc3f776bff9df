/**
 * Creating an output folder that may need its parents. Node's own `mkdir(dir, { recursive: true })`
 * never returns for a path under a folder where mkdir answers ENOENT although the folder exists
 * (`/proc/nope`): it retries the parent forever. This one climbs once and gives up with the
 * error.
 */
import * as fs from "fs";
import * as path from "path";

export async function makeDirectory(dir: string): Promise<void> {
  try {
    await fs.promises.mkdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" && (await fs.promises.stat(dir)).isDirectory()) return;
    const parent = path.dirname(dir);
    if (code !== "ENOENT" || parent === dir) throw error;
    await makeDirectory(parent);
    // The parent is there now: a second ENOENT is the answer, not a reason to climb again.
    await fs.promises.mkdir(dir);
  }
}
