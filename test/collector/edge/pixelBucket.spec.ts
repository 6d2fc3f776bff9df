import * as assert from "assert";
import { all, bucket, get, runStack, sideOf, T } from "../../harness";

describe("the pixel bucket", () => {
  for (const stack of ["dev", "prod"]) {
    describe(stack, () => {
      it("has no S3 server access logging, in any form", async () => {
        const run = await runStack(stack);
        const pixelBucket = bucket(run, "pixel");
        assert.strictEqual(pixelBucket.inputs.logging, undefined);
        const loggings = run.resources.filter((r) => /bucketLogging/i.test(r.type));
        assert.deepStrictEqual(loggings, [], "no BucketLogging resource at all");
      });

      it("enables ACLs and allows public object ACLs while blocking public bucket policies", async () => {
        const run = await runStack(stack);
        const pixelBucket = bucket(run, "pixel");
        assert.strictEqual(
          get(sideOf(run, T.ownership, pixelBucket), "rule", "objectOwnership"),
          "BucketOwnerPreferred",
        );
        const block = sideOf(run, T.publicAccess, pixelBucket).inputs;
        assert.deepStrictEqual(
          [
            block.blockPublicAcls,
            block.ignorePublicAcls,
            block.blockPublicPolicy,
            block.restrictPublicBuckets,
          ],
          [false, false, true, true],
        );
        assert.strictEqual(
          all(run, T.policy).filter((p) => (p.propertyDependencies.bucket ?? []).includes(pixelBucket.urn))
            .length,
          0,
          "no bucket policy on the pixel bucket",
        );
      });

      it("is encrypted by default", async () => {
        const run = await runStack(stack);
        const sse = sideOf(run, T.encryption, bucket(run, "pixel"));
        assert.strictEqual(
          get(sse, "rules", 0, "applyServerSideEncryptionByDefault", "sseAlgorithm"),
          "AES256",
        );
      });
    });
  }
});
