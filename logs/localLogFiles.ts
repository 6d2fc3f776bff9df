/**
 * Finds log files on disk: a file as given, or every regular file under a directory, in name
 * order (CloudFront names files by distribution and hour, so that is roughly time order).
 * Symbolic links are followed, to files and to directories (a directory of links to downloaded
 * logs is a common way to gather them). A directory or file reached twice (a link back up the
 * tree, two links to one place) is read once: a loop ends, and no file is counted twice.
 */
import * as fs from "fs";
import * as path from "path";

export async function listLogFiles(fileOrDir: string): Promise<string[]> {
  const stat = await fs.promises.stat(fileOrDir);
  if (!stat.isDirectory()) return [fileOrDir];
  const files: string[] = [];
  await walk(fileOrDir, new Set(), files);
  return files.sort();
}

/** `seen`: the real paths of every directory and file reached so far. */
async function walk(dir: string, seen: Set<string>, files: string[]): Promise<void> {
  const real = await fs.promises.realpath(dir);
  if (seen.has(real)) return;
  seen.add(real);
  // In name order, so that of two paths to one file the same one is kept on every run.
  const entries = (await fs.promises.readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      // A dangling link is no file: skipped, as `ls` would show it but `cat` could not read it.
      const target = await fs.promises.stat(full).catch(() => undefined);
      isDirectory = target?.isDirectory() ?? false;
      isFile = target?.isFile() ?? false;
    }
    if (isDirectory) {
      await walk(full, seen, files);
    } else if (isFile) {
      const realFile = await fs.promises.realpath(full);
      if (seen.has(realFile)) continue;
      seen.add(realFile);
      files.push(full);
    }
  }
}
