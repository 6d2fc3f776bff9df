import * as assert from "assert";
import { GifReader } from "omggif";
import { PIXEL_CACHE_CONTROL, pixelBytes } from "../../../collector/edge/pixel";
import { bucket, one, runStack, sideOf, T } from "../../harness";

describe("the pixel", () => {
  it("is a 43-byte GIF89a that decodes to one fully transparent pixel", () => {
    const bytes = pixelBytes();
    assert.strictEqual(bytes.length, 43, "Gmail's image proxy refused Snowplow's 37-byte GIF");
    assert.strictEqual(bytes.subarray(0, 6).toString("latin1"), "GIF89a");
    const gif = new GifReader(bytes);
    assert.deepStrictEqual([gif.width, gif.height, gif.numFrames()], [1, 1, 1]);
    const rgba = new Uint8Array(4);
    gif.decodeAndBlitFrameRGBA(0, rgba);
    assert.strictEqual(rgba[3], 0, "alpha of the only pixel");
  });

  for (const stack of ["dev", "prod"]) {
    it(`is uploaded as public-read image/gif object "i" of the pixel bucket (${stack})`, async () => {
      const run = await runStack(stack);
      const pixelBucket = bucket(run, "pixel");
      const object = sideOf(run, T.object, pixelBucket);
      assert.strictEqual(object.inputs.key, "i");
      assert.strictEqual(object.inputs.contentType, "image/gif");
      assert.strictEqual(object.inputs.acl, "public-read");
      assert.strictEqual(object.inputs.cacheControl, PIXEL_CACHE_CONTROL);
      assert.deepStrictEqual(Buffer.from(String(object.inputs.contentBase64), "base64"), pixelBytes());
      // The ACL is refused until ACLs are on and public ACLs unblocked.
      const ownership = sideOf(run, T.ownership, pixelBucket);
      const publicAccess = sideOf(run, T.publicAccess, pixelBucket);
      assert.ok(object.dependencies.includes(ownership.urn), "object depends on ownership controls");
      assert.ok(object.dependencies.includes(publicAccess.urn), "object depends on the public access block");
      assert.strictEqual(one(run, T.object).urn, object.urn, "the pixel bucket holds nothing else");
    });
  }
});
