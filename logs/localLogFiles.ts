/**
 * Finds log files on disk: a file as given, or every regular file under a directory, in name
 * order (CloudFront names files by distribution and hour, so that is roughly time order).
 */
import * as fs from "fs";
import * as path from "path";

export async function listLogFiles(fileOrDir: string): Promise<string[]> {
  const stat = await fs.promises.stat(fileOrDir);
  if (!stat.isDirectory()) return [fileOrDir];
  const entries = await fs.promises.readdir(fileOrDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && !entry.name.startsWith("."))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}
