/**
 * The replay `npm run preview` prints: the plan as a first `pulumi up` into a new account. A
 * stack that says its log bucket comes from legacy mode (`migrateLegacyLogBucket`) is replayed as
 * what it is, an update of that legacy deployment: a first up of it would be refused by design.
 */
import { ProgramRun, runProgram } from "../mockRun";
import { replayUp, ReplayResult } from "./replay";

const MIGRATE_KEY = "migrateLegacyLogBucket";

export async function replayForPreview(run: ProgramRun, program?: string): Promise<ReplayResult> {
  const { settings } = run;
  const key = `${settings.project}:${MIGRATE_KEY}`;
  if (settings.config[key] !== "true") return replayUp(run);
  const legacy = {
    ...settings,
    config: { ...settings.config, [key]: "false", [`${settings.project}:loggingMode`]: "legacy" },
  };
  const before = replayUp(await runProgram({ settings: legacy, computed: "stand-in", program }));
  const after = replayUp(run, before.after);
  return { ...after, operation: `an up of stack ${settings.stack} from its legacy deployment` };
}
