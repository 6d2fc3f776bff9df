/**
 * Arguments of the offline commands (`npm run preview`, `npm run policy`), parsed strictly: an
 * unknown flag or a missing value is an error naming it, never silently ignored.
 */
import * as path from "path";
import { parseArgs } from "util";
import { defaultPolicyConfig, PROJECT_DIR } from "./paths";
import { loadStackSettings, StackSettings } from "./stackConfig";

export interface StackCommand {
  settings: StackSettings;
  /** The `--policy-pack-config` file: policy/config/<stack>.json unless given. */
  policyConfig: string;
  /** Another entry point than index.ts, if given. */
  program?: string;
}

/**
 * `--stack NAME [--config KEY=VALUE]... [--policy-config FILE] [--program FILE]`. `--config`
 * overrides one stack setting for this run, like `pulumi preview --config`.
 */
export function parseStackCommand(argv: string[], command: string): StackCommand {
  const usage =
    `usage: npm run ${command} -- --stack <dev|prod> [--config KEY=VALUE]... ` +
    "[--policy-config FILE] [--program FILE]";
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        stack: { type: "string" },
        config: { type: "string", multiple: true },
        "policy-config": { type: "string" },
        program: { type: "string" },
      },
    }));
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${usage}`, { cause: e });
  }
  if (!values.stack) throw new Error(`missing --stack: name the stack, e.g. --stack prod\n${usage}`);
  const settings = loadStackSettings(PROJECT_DIR, values.stack);
  for (const pair of values.config ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0)
      throw new Error(`--config ${JSON.stringify(pair)}: expected KEY=VALUE, e.g. retentionDays=30`);
    const key = pair.slice(0, eq);
    settings.config[key.includes(":") ? key : `${settings.project}:${key}`] = pair.slice(eq + 1);
  }
  return {
    settings,
    policyConfig: values["policy-config"] ?? defaultPolicyConfig(values.stack),
    program: values.program ? path.resolve(values.program) : undefined,
  };
}

/** Runs a command's main: its number is the exit code; a thrown error is bad input, exit 2. */
export function runCommand(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(`error: ${err.message}`);
      process.exit(2);
    },
  );
}
