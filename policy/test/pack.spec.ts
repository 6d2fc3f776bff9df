import * as assert from "assert";

import { policies } from "../policies/all";
import { collectorStack } from "./fixtures";
import { assertPasses, assertViolates } from "./harness";

describe("the policy pack", () => {
  it("names each policy once, describes it, and sets its enforcement level", () => {
    const names = policies.map((p) => p.name);
    assert.strictEqual(new Set(names).size, names.length, `duplicate names in ${names.join(", ")}`);
    for (const p of policies) {
      assert.match(p.name, /^[a-z0-9-]+$/);
      assert.ok(p.description.length > 40, `${p.name} needs a description`);
      assert.ok(p.enforcementLevel, `${p.name} needs an enforcement level`);
      assert.ok(!p.configSchema?.required?.length, `${p.name}: no config may be required`);
    }
    assert.deepStrictEqual(
      policies.filter((p) => p.enforcementLevel === "advisory").map((p) => p.name),
      ["distribution-viewer-https", "event-logs-no-client-ip"],
    );
  });

  for (const preview of [false, true]) {
    const when = preview ? "at preview (computed values unknown)" : "once deployed (values known)";
    describe(`on the good prod stack (v2) ${when}`, () => {
      for (const policy of policies) {
        it(`${policy.name} passes`, () => assertPasses(policy, collectorStack({ preview, mode: "v2" })));
      }
    });
    describe(`on the good legacy stack ${when}`, () => {
      for (const policy of policies) {
        if (policy.name === "event-logs-no-client-ip") {
          it(`${policy.name} rejects it: legacy logging always writes c-ip`, () =>
            assertViolates(policy, collectorStack({ preview }), /standard logging \(legacy\)/));
          it(`${policy.name} passes it with allowLegacyLogging`, () =>
            assertPasses(policy, collectorStack({ preview }), { allowLegacyLogging: true }));
        } else {
          it(`${policy.name} passes`, () => assertPasses(policy, collectorStack({ preview })));
        }
      }
    });
  }
});
