/**
 * A temporary folder for a benchmark's generated files (a 1,000,000-line log is 12 MB) that does
 * not outlive the run: removed when the run ends, however it ends (an error, process.exit,
 * Ctrl-C, SIGTERM, SIGHUP), and, for a run killed outright (SIGKILL runs no handler), by the next
 * run: the folder's name carries the pid of the run that made it, and a folder whose process is
 * gone is left over.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

export interface ScratchDir {
  dir: string;
  cleanup: () => void;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists and belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes the folders `prefix` left behind by runs that no longer exist; returns their paths. */
export function sweepLeftovers(prefix: string, tmp: string = os.tmpdir()): string[] {
  const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-(\\d+)-`);
  const removed: string[] = [];
  for (const name of fs.readdirSync(tmp)) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || isRunning(pid)) continue;
    const leftover = path.join(tmp, name);
    fs.rmSync(leftover, { recursive: true, force: true });
    removed.push(leftover);
  }
  return removed;
}

export function makeScratchDir(prefix: string, tmp: string = os.tmpdir()): ScratchDir {
  sweepLeftovers(prefix, tmp);
  const dir = fs.mkdtempSync(path.join(tmp, `${prefix}-${process.pid}-`));
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    // The exit status a shell gives a process the signal ended: 128 + its number.
    process.exit(128 + os.constants.signals[signal]);
  };
  const cleanup = () => {
    fs.rmSync(dir, { recursive: true, force: true });
    process.removeListener("exit", cleanup);
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  };
  process.on("exit", cleanup);
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return { dir, cleanup };
}
