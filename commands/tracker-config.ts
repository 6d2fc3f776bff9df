/**
 * `npm run tracker-config -- --stack prod [--app-id ID] [--out DIR]`, or `--outputs FILE`:
 * writes the tracker configuration for a deployed collector, from the stack's outputs.
 */
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_CORS_ALLOWED_ORIGINS } from "../collector/edge/cors";
import { TrackerConfig, trackerConfigFor } from "../collector/edge/trackerConfig";
import { CliError, EXIT_OK, Output, parseCommandArgs, runAsScript, stringOption, withCliErrors } from "./cli";
import {
  loadStackOutputs,
  requireCorsAllowedOrigins,
  requireString,
  requireTrackerConfig,
  StackOutputs,
} from "./stackOutputs";
import { trackerConfigJson, trackerSetupFor, trackerSnippet } from "./trackerSnippet";
import { makeDirectory } from "./outputFolder";

const USAGE = "usage: npm run tracker-config -- (--stack NAME | --outputs FILE) [--app-id ID] [--out DIR]";
export const DEFAULT_OUT_DIR = "tracker";
export const DEFAULT_APP_ID = "web";
export const CONFIG_FILE = "tracker-config.json";
export const SNIPPET_FILE = "snowplow-tracker.js";

/**
 * The stack's own trackerConfig output when there is one, else the one its domain and CORS origins
 * imply (an older stack without corsAllowedOrigins is taken as the default, any origin).
 */
function trackerConfigOf(outputs: StackOutputs): TrackerConfig {
  if (outputs.values.trackerConfig !== undefined) return requireTrackerConfig(outputs);
  const origins =
    outputs.values.corsAllowedOrigins === undefined
      ? DEFAULT_CORS_ALLOWED_ORIGINS
      : requireCorsAllowedOrigins(outputs);
  return trackerConfigFor(requireString(outputs, "collectorDomain"), origins);
}

export interface MainOptions {
  pulumiCommand?: string;
}

export async function main(argv: string[], output: Output, options: MainOptions = {}): Promise<number> {
  return withCliErrors(output, async () => {
    const args = parseCommandArgs("tracker-config", argv, {
      stack: { type: "string" },
      outputs: { type: "string" },
      "app-id": { type: "string" },
      out: { type: "string" },
      help: { type: "boolean" },
    });
    if (args.values.help) {
      output.out(USAGE);
      return EXIT_OK;
    }
    const appId = stringOption(args, "app-id") ?? DEFAULT_APP_ID;
    if (/[\s"'\\]/.test(appId)) {
      throw new CliError(
        `--app-id ${JSON.stringify(appId)} is not allowed: use no spaces, quotes or backslashes.`,
      );
    }
    const outDir = stringOption(args, "out") ?? DEFAULT_OUT_DIR;
    const outputs = await loadStackOutputs({
      stack: stringOption(args, "stack"),
      outputsFile: stringOption(args, "outputs"),
      pulumiCommand: options.pulumiCommand,
    });
    const setup = trackerSetupFor(trackerConfigOf(outputs), appId, outputs.source);

    try {
      await makeDirectory(outDir);
      await fs.promises.writeFile(path.join(outDir, CONFIG_FILE), trackerConfigJson(setup));
      await fs.promises.writeFile(path.join(outDir, SNIPPET_FILE), trackerSnippet(setup));
    } catch (error) {
      throw new CliError(`cannot write to --out ${JSON.stringify(outDir)}: ${(error as Error).message}`);
    }
    output.out(`collector: ${setup.collectorUrl} (events go to ${setup.pixelUrl}, GET only)`);
    output.out(`wrote ${path.join(outDir, CONFIG_FILE)}`);
    output.out(`wrote ${path.join(outDir, SNIPPET_FILE)}`);
    return EXIT_OK;
  });
}

runAsScript(module, main);
