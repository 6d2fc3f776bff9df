import { Output, scriptExitCode } from "../../commands/cli";
import * as policy from "../../offline/enforce";
import { StackCommandDeps } from "../../offline/stackCommand";
import * as preview from "../../offline/preview";
import { ScriptResult } from "./runScript";
import { sharedPack } from "./sharedPack";

/** A command's main as its file exports it: argv and output in, exit code out. */
export type CommandMain = (argv: string[], output: Output) => Promise<number>;

/**
 * Runs a command's main in this process as its script would (commands/cli.ts's scriptExitCode)
 * and resolves with what the script prints, each line as console.log and console.error end it,
 * and its exit code. The ts-node start a spawned script costs (about 0.7 s) is saved.
 */
export async function runMain(main: CommandMain, argv: readonly string[]): Promise<ScriptResult> {
  let stdout = "";
  let stderr = "";
  const output: Output = {
    out: (line) => (stdout += `${line}\n`),
    err: (line) => (stderr += `${line}\n`),
  };
  const status = await scriptExitCode(main, [...argv], output);
  return { status, stdout, stderr };
}

/** The offline commands use the pack this mocha process shares instead of starting their own. */
const withSharedPack: StackCommandDeps = { pack: sharedPack };

/** `npm run preview -- ARGV`, in process, on the shared pack. */
export function runPreview(argv: readonly string[]): Promise<ScriptResult> {
  return runMain((args, output) => preview.main(args, output, withSharedPack), argv);
}

/** `npm run policy -- ARGV`, in process, on the shared pack. */
export function runPolicy(argv: readonly string[]): Promise<ScriptResult> {
  return runMain((args, output) => policy.main(args, output, withSharedPack), argv);
}
