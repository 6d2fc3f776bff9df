import { distributionPixelCors } from "../policies/cors";
import { T, UNKNOWN_SENTINEL, collectorStack } from "./fixtures";
import { assertPasses, assertViolates } from "./harness";

type Props = Record<string, unknown>;

const SIMPLE_CORS = "60669652-455b-4ae9-85a4-c4c02393f86c";
const SITES = ["https://www.example.com", "https://shop.example.com"];

describe("distribution-pixel-cors", () => {
  const policy = distributionPixelCors;
  const behavior = (s: ReturnType<typeof collectorStack>) =>
    s.props("collector-cdn").defaultCacheBehavior as Props;
  const cors = (s: ReturnType<typeof collectorStack>) => s.props("collector-pixel-cors").corsConfig as Props;

  for (const preview of [false, true]) {
    it(`passes the component's CORS policy (${preview ? "at preview" : "deployed"})`, async () => {
      await assertPasses(policy, collectorStack({ preview }));
    });

    it(`fails a pixel behaviour without a response headers policy (${preview ? "preview" : "deployed"})`, async () => {
      const s = collectorStack({ preview });
      delete behavior(s).responseHeadersPolicyId;
      await assertViolates(policy, s, /defaultCacheBehavior has no response headers policy/, {
        on: "collector-cdn",
      });
    });
  }

  it("passes an allow-list of site origins with credentials", async () => {
    const s = collectorStack({ preview: true });
    cors(s).accessControlAllowCredentials = true;
    cors(s).accessControlAllowOrigins = { items: SITES };
    await assertPasses(policy, s);
  });

  it("passes AWS's managed SimpleCORS policy, attached by its id", async () => {
    const s = collectorStack({ preview: true });
    s.remove("collector-pixel-cors");
    behavior(s).responseHeadersPolicyId = SIMPLE_CORS;
    await assertPasses(policy, s);
  });

  it("fails a managed policy that is not a CORS one (SecurityHeadersPolicy)", async () => {
    const s = collectorStack({ preview: true });
    behavior(s).responseHeadersPolicyId = "67f7725c-6f97-4210-82d7-5512b31e9d03";
    await assertViolates(policy, s, /responseHeadersPolicyId "67f7725c.*neither a CORS policy/);
  });

  it("fails a declared policy without CORS origins", async () => {
    const s = collectorStack();
    delete s.props("collector-pixel-cors").corsConfig;
    await assertViolates(
      policy,
      s,
      /uses ResponseHeadersPolicy "collector-pixel-cors", which has no corsConfig with allowed origins/,
    );
  });

  it("fails a policy that combines the wildcard origin with credentials, attached or not", async () => {
    const s = collectorStack({ preview: true });
    cors(s).accessControlAllowCredentials = true;
    await assertViolates(policy, s, /allows credentials with the wildcard origin "\*"/, {
      on: "collector-pixel-cors",
    });
    const other = collectorStack();
    other.add({
      type: T.responseHeadersPolicy,
      name: "spare",
      props: {
        corsConfig: {
          accessControlAllowCredentials: true,
          accessControlAllowOrigins: { items: ["*", SITES[0]] },
        },
      },
    });
    await assertViolates(policy, other, /spare.*allows credentials with the wildcard origin/);
  });

  it("fails when the origins are unknown at preview (nothing to check)", async () => {
    const s = collectorStack({ preview: true });
    cors(s).accessControlAllowOrigins = { items: UNKNOWN_SENTINEL };
    await assertViolates(policy, s, /CORS origins or credentials are unknown at preview/);
  });

  it("checks ordered cache behaviours too", async () => {
    const s = collectorStack({ preview: true });
    const ordered: Props = { ...behavior(s), pathPattern: "/i" };
    delete ordered.responseHeadersPolicyId;
    s.props("collector-cdn").orderedCacheBehaviors = [ordered];
    await assertViolates(policy, s, /orderedCacheBehaviors\[0\] \("\/i"\) has no response headers policy/);
  });

  it("traces a deployed policy by its id when there is no property dependency", async () => {
    const s = collectorStack();
    behavior(s).responseHeadersPolicyId = "a1b2c3d4-0000-4000-8000-000000000001";
    await assertPasses(policy, s);
    behavior(s).responseHeadersPolicyId = "someone-elses-policy";
    await assertViolates(policy, s, /"someone-elses-policy", which is neither/);
  });
});
