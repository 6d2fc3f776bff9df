/**
 * The policy pack's process, started the way the Pulumi CLI starts a local Node.js pack: Node on
 * @pulumi/pulumi's own policy-pack runner, which type-checks the pack with ts-node and prints the
 * port it listens on. Nothing here speaks gRPC or loads the Pulumi runtime (analyzer.ts does), so
 * that a command can start the pack, its slowest step, before it loads them.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import * as readline from "readline";

export const RUN_POLICY_PACK = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");

/**
 * Preloaded into the pack's process (packPreload.js): V8's compile cache, and the record of the
 * last type-check that passed, which stands while nothing that check read has changed.
 */
const PACK_PRELOAD = path.join(__dirname, "packPreload.js");

/** A pack process, started; `port` resolves once it listens. */
export interface SpawnedPack {
  child: ChildProcess;
  port: Promise<number>;
  /** Whether the pack has printed its port. */
  listening(): boolean;
  /** What the pack has written to stderr so far. */
  stderr(): string;
}

/** Starts the pack in `packDir` (`timeoutMs` covers ts-node's type-check) with `env`. */
export function spawnPack(packDir: string, timeoutMs = 60000, env = process.env): SpawnedPack {
  assertNodePack(packDir);
  // The first argument is the engine's address; the pack only needs it for logging.
  const child = spawn(process.execPath, ["--require", PACK_PRELOAD, RUN_POLICY_PACK, "127.0.0.1:0", "."], {
    cwd: packDir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let listening = false;
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const port = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`policy pack in ${packDir} did not start within ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    if (!child.stdout) return reject(new Error("policy pack has no stdout"));
    const lines = readline.createInterface({ input: child.stdout });
    lines.once("line", (line) => {
      clearTimeout(timer);
      const port = Number(line.trim());
      if (Number.isInteger(port) && port > 0) {
        listening = true;
        resolve(port);
      } else reject(new Error(`policy pack printed ${JSON.stringify(line)} instead of its port:\n${stderr}`));
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`policy pack in ${packDir} exited with code ${code} before listening:\n${stderr}`));
    });
  });
  return { child, port, listening: () => listening, stderr: () => stderr };
}

/** A pack starting, and the client that will speak to it. */
export interface PackLaunch<Client> {
  /** The client, once the pack listens. */
  ready: Promise<Client>;
  /** Stops the pack, started or still starting; resolves once its process has exited. */
  cancel(): Promise<void>;
}

/**
 * Starts the pack and returns at once: `ready` resolves with `connect`'s client once the pack
 * listens, `cancel` ends it whatever its state, so that a command can start it first and still
 * stop it on an early error.
 */
export function launchPack<Client extends { stop(): Promise<void> }>(
  packDir: string,
  connect: (spawned: SpawnedPack, port: number) => Client | Promise<Client>,
  timeoutMs = 60000,
): PackLaunch<Client> {
  let spawned: SpawnedPack | undefined;
  const ready = (async () => {
    spawned = spawnPack(packDir, timeoutMs);
    return connect(spawned, await spawned.port);
  })();
  // Whoever awaits `ready` sees a failure; a launch cancelled before that is not left unhandled.
  ready.catch(() => undefined);
  return {
    ready,
    cancel: async () => {
      await Promise.all([
        spawned && stopPack(spawned),
        ready.then(
          (client) => client.stop(),
          () => undefined,
        ),
      ]);
    },
  };
}

/**
 * Stops the pack; resolves once its process has exited. A listening pack is idle and gets
 * SIGTERM, on which it writes its compile cache and the record of its type-check (packPreload.js);
 * one still starting is busy type-checking, would only see SIGTERM once done, and gets SIGKILL.
 */
export function stopPack(spawned: SpawnedPack): Promise<void> {
  return killed(spawned.child, spawned.listening() ? "SIGTERM" : "SIGKILL");
}

/** Kills `child` unless it has exited already; resolves once it has. */
function killed(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

/**
 * What the CLI checks before it starts a local pack: a PulumiPolicy.yaml naming the nodejs
 * runtime, and (for @pulumi/policy, which reads its version there) a package.json with a version.
 */
function assertNodePack(packDir: string): void {
  const manifest = path.join(packDir, "PulumiPolicy.yaml");
  if (!fs.existsSync(manifest)) throw new Error(`${packDir} is not a policy pack: no PulumiPolicy.yaml`);
  const { runtime } = (yaml.load(fs.readFileSync(manifest, "utf8")) ?? {}) as { runtime?: unknown };
  const name =
    typeof runtime === "object" && runtime !== null ? (runtime as { name?: unknown }).name : runtime;
  if (name !== "nodejs") {
    throw new Error(`${manifest}: runtime ${JSON.stringify(name)}; this runner starts nodejs packs only`);
  }
  const pkg = path.join(packDir, "package.json");
  const version = fs.existsSync(pkg)
    ? (JSON.parse(fs.readFileSync(pkg, "utf8")) as { version?: unknown }).version
    : undefined;
  if (typeof version !== "string" || version === "") {
    throw new Error(
      `${packDir}: a package.json with a version is needed; @pulumi/policy reads the pack's version there`,
    );
  }
}
