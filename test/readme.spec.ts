/**
 * The README quotes the per-stack policy configs and lists every config key: keep it true.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CONFIG_KEYS } from "../collector/config";
import { defaultPolicyConfig, PROJECT_DIR } from "../offline/paths";

const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");

describe("the README", () => {
  for (const stack of ["dev", "prod"]) {
    it(`quotes policy/config/${stack}.json as it is`, () => {
      const file = JSON.parse(fs.readFileSync(defaultPolicyConfig(stack), "utf8"));
      const quoted = readme.split(`\`policy/config/${stack}.json\``)[1]?.match(/```json\n([\s\S]*?)```/)?.[1];
      assert.ok(quoted, `README quotes policy/config/${stack}.json`);
      assert.deepStrictEqual(JSON.parse(quoted), file);
    });
  }

  it("documents every config key", () => {
    for (const key of CONFIG_KEYS) assert.match(readme, new RegExp(`^\\| \`${key}\` +\\|`, "m"), key);
  });
});
