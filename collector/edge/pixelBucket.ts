/**
 * The pixel bucket and the pixel object in it. The bucket holds nothing but `i` and has no S3
 * server access logging: CloudFront's own logs are the event data, and S3 logs of CloudFront's
 * origin fetches would only duplicate a fraction of them.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PIXEL_CACHE_CONTROL, PIXEL_CONTENT_TYPE, PIXEL_KEY, pixelBytes } from "./pixel";
import { enableAcls, encryptWithS3ManagedKeys } from "../bucketSettings";
import { ROLE_TAG } from "../tags";

export interface PixelBucket {
  bucket: aws.s3.Bucket;
  pixel: aws.s3.BucketObjectv2;
}

export function declarePixelBucket(
  name: string,
  tags: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): PixelBucket {
  const bucket = new aws.s3.Bucket(`${name}-pixel`, { tags: { ...tags, [ROLE_TAG]: "pixel" } }, opts);

  const ownership = enableAcls(`${name}-pixel`, bucket, opts);
  // Object ACLs may be public (the pixel); bucket policies may not, so nothing can list the bucket
  // or make every object public in one stroke.
  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    `${name}-pixel-public-access`,
    {
      bucket: bucket.id,
      blockPublicAcls: false,
      ignorePublicAcls: false,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    },
    opts,
  );
  encryptWithS3ManagedKeys(`${name}-pixel`, bucket, opts);

  const pixel = new aws.s3.BucketObjectv2(
    `${name}-pixel-object`,
    {
      bucket: bucket.id,
      key: PIXEL_KEY,
      // Inline bytes rather than a file asset: the preview and the policy pack can see them.
      contentBase64: pixelBytes().toString("base64"),
      contentType: PIXEL_CONTENT_TYPE,
      cacheControl: PIXEL_CACHE_CONTROL,
      acl: "public-read",
    },
    // The ACL is refused until ACLs are enabled and public ACLs are no longer blocked.
    { ...opts, dependsOn: [ownership, publicAccess] },
  );
  return { bucket, pixel };
}
