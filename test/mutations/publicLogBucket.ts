// The real collector with its log bucket opened to the world: public access block relaxed and a
// bucket policy that lets anyone read the logs.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Collector } from "../../collector/collector";
import { loadStackConfig } from "../../collector/config/stackConfig";

const config = loadStackConfig();
const unblock: pulumi.ResourceTransformation = ({ type, name, props, opts }) =>
  type === "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock" && name.endsWith("-logs-public-access")
    ? { props: { ...props, blockPublicPolicy: false, restrictPublicBuckets: false }, opts }
    : undefined;
const collector = new Collector("collector", config.collector, { transformations: [unblock] });
new aws.s3.BucketPolicy("logs-public-read", {
  bucket: collector.logBucket,
  policy: pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: "*",
        Action: "s3:GetObject",
        Resource: pulumi.interpolate`arn:aws:s3:::${collector.logBucket}/*`,
      },
    ],
  }),
});

export const collectorDomain = collector.collectorDomain;
