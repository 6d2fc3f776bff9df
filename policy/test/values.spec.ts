import * as assert from "assert";

import { unknownCheckingProxy } from "@pulumi/policy";

import { CollectorGraph } from "../collectorGraph";
import { UNKNOWN, plainObject } from "../values";
import { T, UNKNOWN_SENTINEL, collectorStack, ref } from "./fixtures";

describe("reading props through @pulumi/policy's unknown-checking proxy", () => {
  it("copies them without throwing, unknowns as UNKNOWN", () => {
    const proxied = unknownCheckingProxy({
      bucket: UNKNOWN_SENTINEL,
      nested: { list: ["a", "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7"], n: 3 },
    });
    assert.throws(() => proxied.bucket, /can't be known during preview/);
    assert.deepStrictEqual(plainObject(proxied), { bucket: UNKNOWN, nested: { list: ["a", UNKNOWN], n: 3 } });
  });
});

describe("the collector graph", () => {
  it("finds the pixel and log buckets by every signal, at preview", () => {
    const g = new CollectorGraph(collectorStack({ preview: true }).build());
    const pixel = [...g.pixelBuckets.entries()].map(([n, s]) => [n.name, s]);
    const logs = [...g.logBuckets.entries()].map(([n, s]) => [n.name, s]);
    assert.deepStrictEqual(pixel, [["collector-pixel", ["role tag", "pixel object", "distribution origin"]]]);
    assert.deepStrictEqual(logs, [["collector-logs", ["role tag", "distribution logging"]]]);
  });

  it("does not link by plain dependency when two buckets could be meant", () => {
    const s = collectorStack({ preview: true });
    s.add({
      type: T.object,
      name: "x",
      props: { bucket: UNKNOWN_SENTINEL, key: "i" },
      withoutPropertyDependencies: true,
      dependsOn: ["collector-pixel", "collector-logs"],
    });
    s.add({
      type: T.object,
      name: "y",
      props: { bucket: UNKNOWN_SENTINEL, key: "i" },
      withoutPropertyDependencies: true,
      dependsOn: ["collector-logs"],
    });
    const g = new CollectorGraph(s.build());
    const holders = (name: string) => {
      const node = g.nodes.find((n) => n.name === name);
      return node ? g.bucketsReferredTo(node, "bucket", node.props.bucket).map((b) => b.name) : [];
    };
    assert.deepStrictEqual(holders("x"), []);
    assert.deepStrictEqual(holders("y"), ["collector-logs"]);
  });

  it("reads the region from the bucket, else its provider", () => {
    const s = collectorStack({ region: "eu-north-1" });
    s.props("collector-pixel").region = "eu-west-3";
    s.props("collector-logs").region = ref("collector-cdn", "nope"); // unknown
    const g = new CollectorGraph(s.build());
    const region = (name: string) => {
      const bucket = g.buckets.find((b) => b.name === name);
      assert.ok(bucket);
      return g.regionOf(bucket);
    };
    assert.strictEqual(region("collector-pixel"), "eu-west-3");
    assert.strictEqual(region("collector-logs"), "eu-north-1");
  });
});
