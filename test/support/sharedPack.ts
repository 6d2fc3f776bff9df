import { PolicyPackProcess } from "../../offline/analyzer";
import { POLICY_PACK_DIR } from "../../offline/paths";

let pack: Promise<PolicyPackProcess> | undefined;

/**
 * The policy pack, started once per mocha process (its start, ts-node type-checking it, is the
 * slow part) and stopped when the process exits. Each verdict configures it afresh, as the CLI
 * configures each pack it starts, and verdicts on it take turns (PolicyPackProcess.exclusive).
 */
export function sharedPack(): Promise<PolicyPackProcess> {
  if (!pack) {
    pack = PolicyPackProcess.start(POLICY_PACK_DIR).then((started) => {
      started.stopAtExit();
      return started;
    });
    // A failed start is not kept: the next caller sees the failure afresh.
    pack.catch(() => (pack = undefined));
  }
  return pack;
}
