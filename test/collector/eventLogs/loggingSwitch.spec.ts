/**
 * Switching a deployed stack between legacy logging and v2 in one `pulumi up`: the steps the
 * engine would take, derived from the two plans the way it derives them (same URN: update; new:
 * create; gone: delete). Creates and updates run in dependency order of the new program; deletes
 * run after all of them. S3 refuses BucketOwnerEnforced while the ACL grants another account, so
 * the grant must be gone, by an update, before the ownership update runs.
 */
import * as assert from "assert";
import { ProgramRun, RecordedResource } from "../../../offline/mockRun";
import { LOG_DELIVERY_CANONICAL_USER_ID } from "../../../offline/standIns";
import { bucket, runStack, sideOf, T } from "../../harness";

interface Step {
  op: "create" | "update" | "same" | "delete";
  resource: RecordedResource;
}

/** The engine's order: new program's dependency order for creates/updates, then deletes. */
function plan(before: ProgramRun, after: ProgramRun): Step[] {
  const old = new Map(before.resources.map((r) => [r.urn, r]));
  const byUrn = new Map(after.resources.map((r) => [r.urn, r]));
  const done = new Set<string>();
  const steps: Step[] = [];
  const visit = (r: RecordedResource) => {
    if (done.has(r.urn)) return;
    done.add(r.urn);
    for (const d of r.dependencies) {
      const dep = byUrn.get(d);
      if (dep) visit(dep);
    }
    const prev = old.get(r.urn);
    const op = !prev
      ? "create"
      : JSON.stringify(prev.inputs) === JSON.stringify(r.inputs)
        ? "same"
        : "update";
    steps.push({ op, resource: r });
  };
  after.resources.forEach(visit);
  for (const r of before.resources) if (!byUrn.has(r.urn)) steps.push({ op: "delete", resource: r });
  return steps;
}

function indexOf(steps: Step[], r: RecordedResource): number {
  return steps.findIndex((s) => s.resource.urn === r.urn);
}

function grantsLogDelivery(acl: RecordedResource): boolean {
  const grants = ((acl.inputs.accessControlPolicy as { grants?: { grantee: { id: string } }[] })?.grants ??
    []) as { grantee: { id: string } }[];
  return grants.some((g) => g.grantee.id === LOG_DELIVERY_CANONICAL_USER_ID);
}

describe("switching logging mode on a deployed stack", () => {
  it("legacy -> v2: the ACL loses CloudFront's grant by an update before ACLs are disabled", async () => {
    const legacy = await runStack("prod", { loggingMode: "legacy" });
    const v2 = await runStack("prod");
    const steps = plan(legacy, v2);
    const acl = sideOf(v2, T.acl, bucket(v2, "logs"));
    const ownership = sideOf(v2, T.ownership, bucket(v2, "logs"));
    assert.ok(grantsLogDelivery(sideOf(legacy, T.acl, bucket(legacy, "logs"))), "legacy grants it");

    assert.strictEqual(steps[indexOf(steps, acl)].op, "update", "the ACL is updated, not deleted last");
    assert.strictEqual(acl.inputs.acl, "private");
    assert.ok(!grantsLogDelivery(acl));
    assert.strictEqual(steps[indexOf(steps, ownership)].op, "update");
    assert.strictEqual(
      (ownership.inputs.rule as { objectOwnership: string }).objectOwnership,
      "BucketOwnerEnforced",
    );
    assert.ok(indexOf(steps, acl) < indexOf(steps, ownership), "grant removed before ACLs are disabled");

    const deleted = steps.filter((s) => s.op === "delete").map((s) => s.resource.type);
    assert.deepStrictEqual(deleted, [], "nothing of the bucket's permissions waits for the delete phase");
    const created = steps.filter((s) => s.op === "create").map((s) => s.resource.type.split(":").pop());
    assert.deepStrictEqual(created.sort(), ["LogDelivery", "LogDeliveryDestination", "LogDeliverySource"]);
    const policy = sideOf(v2, T.policy, bucket(v2, "logs"));
    const delivery = v2.resources.find((r) => r.type === "aws:cloudwatch/logDelivery:LogDelivery");
    assert.ok(delivery && indexOf(steps, policy) < indexOf(steps, delivery), "policy before delivery");
  });

  it("v2 -> legacy: ACLs are enabled before the ACL grants CloudFront again", async () => {
    const v2 = await runStack("prod");
    const legacy = await runStack("prod", { loggingMode: "legacy" });
    const steps = plan(v2, legacy);
    const acl = sideOf(legacy, T.acl, bucket(legacy, "logs"));
    const ownership = sideOf(legacy, T.ownership, bucket(legacy, "logs"));
    assert.strictEqual(steps[indexOf(steps, acl)].op, "update");
    assert.ok(indexOf(steps, ownership) < indexOf(steps, acl));
    const cdn = legacy.resources.find((r) => r.type === T.distribution);
    assert.ok(
      cdn && indexOf(steps, acl) < indexOf(steps, cdn),
      "the distribution logs once the grant is there",
    );
    const deleted = steps.filter((s) => s.op === "delete").map((s) => s.resource.type.split(":").pop());
    assert.deepStrictEqual(deleted.sort(), ["LogDelivery", "LogDeliveryDestination", "LogDeliverySource"]);
  });
});
