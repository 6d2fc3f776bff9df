import { eventLogsNoClientIp } from "../policies/eventLogs";
import { logDeliveryInUsEast1, logDeliveryToLogBucket } from "../policies/logDelivery";
import { collectorStack, ref } from "./fixtures";
import { assertPasses, assertViolates } from "./harness";

describe("event-logs-no-client-ip", () => {
  const policy = eventLogsNoClientIp;

  it("passes the v2 stack with the privacy fields", async () => {
    await assertPasses(policy, collectorStack({ mode: "v2" }));
    await assertPasses(policy, collectorStack({ mode: "v2", preview: true }));
  });

  it("passes a stack with logging off", async () => {
    await assertPasses(policy, collectorStack({ logging: false }));
  });

  it("fails legacy logging, which always writes c-ip, unless allowLegacyLogging", async () => {
    const s = collectorStack({ preview: true });
    await assertViolates(policy, s, /standard logging \(legacy\), which writes every visitor's IP/, {
      on: "collector-cdn",
    });
    await assertPasses(policy, s, { allowLegacyLogging: true });
  });

  for (const field of ["c-ip", "x-forwarded-for", "cs(Cookie)"]) {
    it(`fails a delivery of ${field}, unless allowedFields lists it`, async () => {
      const s = collectorStack({ mode: "v2", preview: true });
      (s.props("collector-access-logs-delivery").recordFields as string[]).push(field);
      const escaped = field.replace(/[()]/g, "\\$&");
      await assertViolates(policy, s, new RegExp(`delivers ${escaped}, which hold`), {
        on: "collector-access-logs-delivery",
      });
      await assertPasses(policy, s, { allowedFields: [field] });
    });
  }

  it("fails a delivery without recordFields: AWS's default includes c-ip", async () => {
    const s = collectorStack({ mode: "v2" });
    delete s.props("collector-access-logs-delivery").recordFields;
    await assertViolates(policy, s, /sets no recordFields, so AWS delivers every field, c-ip included/);
  });
});

describe("log-delivery-in-us-east-1", () => {
  const policy = logDeliveryInUsEast1;

  it("passes the three resources in us-east-1 by their own region input, the bucket in the EU", async () => {
    await assertPasses(policy, collectorStack({ mode: "v2", preview: true }));
  });

  for (const name of ["collector-access-logs", "collector-log-bucket", "collector-access-logs-delivery"]) {
    it(`fails ${name} in the stack's Region`, async () => {
      const s = collectorStack({ mode: "v2", preview: true });
      delete s.props(name).region;
      await assertViolates(
        policy,
        s,
        /is in eu-west-1; CloudFront's log delivery resources must be in us-east-1/,
        {
          on: name,
        },
      );
    });
  }

  it("takes the provider's Region when the resource has none", async () => {
    const s = collectorStack({ mode: "v2", preview: true });
    delete s.props("collector-access-logs").region;
    s.get("collector-access-logs").providerRegion = "us-east-1";
    await assertPasses(policy, s);
  });
});

describe("log-delivery-to-log-bucket", () => {
  const policy = logDeliveryToLogBucket;

  it("passes a delivery to the log bucket, with a prefix, after its bucket policy", async () => {
    await assertPasses(policy, collectorStack({ mode: "v2" }));
    await assertPasses(policy, collectorStack({ mode: "v2", preview: true }));
  });

  it("fails a destination in the pixel bucket", async () => {
    const s = collectorStack({ mode: "v2", preview: true });
    s.props("collector-log-bucket").deliveryDestinationConfiguration = {
      destinationResourceArn: ref("collector-pixel", "arn", (arn) => `${arn}/logs`),
    };
    await assertViolates(policy, s, /not the collector's log bucket/, { on: "collector-log-bucket" });
  });

  it("fails a destination ARN without a key prefix", async () => {
    const s = collectorStack({ mode: "v2" });
    s.props("collector-log-bucket").deliveryDestinationConfiguration = {
      destinationResourceArn: ref("collector-logs", "arn"),
    };
    await assertViolates(policy, s, /carries no key prefix/, { on: "collector-log-bucket" });
  });

  it("fails a delivery that does not wait for the bucket policy", async () => {
    const s = collectorStack({ mode: "v2", preview: true });
    s.get("collector-access-logs-delivery").dependsOn = [];
    await assertViolates(policy, s, /does not depend on the log bucket's BucketPolicy/, {
      on: "collector-access-logs-delivery",
    });
  });
});
