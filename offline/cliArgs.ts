/**
 * Arguments of the offline commands (`npm run preview`, `npm run policy`), parsed strictly: an
 * unknown flag or a missing value is an error naming it, never silently ignored.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { flagsTakenByNpm, parseArgsProblem } from "../commands/argv";
import { consoleOutput, exitWhenStdoutCloses, Output } from "../commands/cli";
import { defaultPolicyConfig, PROJECT_DIR } from "./paths";
import { loadStackSettings, StackSettings } from "./stackConfig";

export interface StackCommand {
  help?: false;
  settings: StackSettings;
  /** The `--policy-pack-config` file: policy/config/<stack>.json unless given. */
  policyConfig: string;
  /** Another entry point than index.ts, if given. */
  program?: string;
}

/** `--help`: the usage, printed by the command with exit code 0. */
export interface HelpRequest {
  help: true;
  usage: string;
}

const OPTIONS = {
  stack: { type: "string" },
  config: { type: "string", multiple: true },
  "policy-config": { type: "string" },
  program: { type: "string" },
  cwd: { type: "string" },
  help: { type: "boolean" },
} as const;

/**
 * `--stack NAME [--config KEY=VALUE]... [--policy-config FILE] [--program FILE]`. `--config`
 * overrides one stack setting for this run, like `pulumi preview --config`.
 */
export function parseStackCommand(
  argv: string[],
  command: string,
  env: NodeJS.ProcessEnv = process.env,
): StackCommand | HelpRequest {
  const usage = [
    `usage: npm run ${command} -- --stack <dev|prod> [--config KEY=VALUE]... ` +
      "[--policy-config FILE] [--program FILE] [--cwd DIR]",
    "  --stack NAME          the stack: its settings come from Pulumi.yaml and Pulumi.<NAME>.yaml",
    "  --config KEY=VALUE    override one setting for this run (repeatable), e.g. retentionDays=30",
    "  --policy-config FILE  the policy pack's config (default policy/config/<NAME>.json)",
    "  --program FILE        another entry point than index.ts",
    "  --cwd DIR             run as if started in DIR, a project with its own Pulumi.yaml (as pulumi --cwd)",
  ].join("\n");
  const npmProblem = flagsTakenByNpm(command, argv, Object.keys(OPTIONS), env);
  if (npmProblem !== undefined) throw new Error(npmProblem);
  let values;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: OPTIONS }));
  } catch (e) {
    throw new Error(`${parseArgsProblem(e, Object.keys(OPTIONS))}\n${usage}`, { cause: e });
  }
  if (values.help) return { help: true, usage };
  if (!values.stack) throw new Error(`missing --stack: name the stack, e.g. --stack prod\n${usage}`);
  // Checked here: a require() of a missing file would print Node's require stack instead.
  if (values.program && !fs.existsSync(values.program)) {
    throw new Error(
      `--program ${JSON.stringify(values.program)}: no such file (the program's entry point, e.g. index.ts)\n${usage}`,
    );
  }
  const projectDir = values.cwd ? path.resolve(values.cwd) : PROJECT_DIR;
  const settings = loadStackSettings(projectDir, values.stack);
  const given = new Set<string>();
  for (const pair of values.config ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0)
      throw new Error(`--config ${JSON.stringify(pair)}: expected KEY=VALUE, e.g. retentionDays=30`);
    const key = pair.slice(0, eq);
    const full = key.includes(":") ? key : `${settings.project}:${key}`;
    settings.config[full] = pair.slice(eq + 1);
    given.add(full);
  }
  const unread = (settings.secrets ?? []).filter((s) => !given.has(s.key));
  if (unread.length > 0) {
    throw new Error(
      unread
        .map(
          (s) =>
            `${s.file}:${s.line}: ${s.key} is a secret (secure:): the offline commands run without the ` +
            `Pulumi CLI and do not decrypt secrets (only the CLI does, with the stack's secrets provider). ` +
            `Give a stand-in value for this run: --config ${s.key.replace(`${settings.project}:`, "")}=VALUE`,
        )
        .join("\n"),
    );
  }
  return {
    settings,
    policyConfig: values["policy-config"] ?? defaultPolicyConfig(values.stack),
    program: values.program
      ? path.resolve(values.program)
      : values.cwd
        ? path.join(projectDir, "index.ts")
        : undefined,
  };
}

/** A command's main: its argv, where it prints, and the exit code it resolves with. */
export type StackCommandMain = (argv: string[], output: Output) => Promise<number>;

/** Runs a command's body: its number is the exit code; a thrown error is bad input, exit 2. */
export async function exitCodeOf(output: Output, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    output.err(`error: ${(err as Error).message}`);
    return 2;
  }
}

/** Runs `main` when its file is the process's entry point, and exits with its code. */
export function runCommand(mainModule: NodeModule, main: StackCommandMain): void {
  if (require.main !== mainModule) return;
  exitWhenStdoutCloses();
  void main(process.argv.slice(2), consoleOutput).then((code) => process.exit(code));
}
