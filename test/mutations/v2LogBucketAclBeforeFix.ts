// The v2 log bucket as committed before issue #15's fix: an owner-only BucketAcl ("private") on
// the new bucket, and the ownership controls waiting for it. S3 refuses that ACL on a bucket that
// has ACLs disabled, which every new bucket has.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Collector } from "../../collector/collector";
import { loadStackConfig } from "../../collector/config/stackConfig";

const config = loadStackConfig();
const oldAcl: pulumi.ResourceTransformation = ({ type, name, props, opts }) => {
  if (
    type !== "aws:s3/bucketOwnershipControls:BucketOwnershipControls" ||
    name !== "collector-logs-ownership"
  ) {
    return undefined;
  }
  const acl = new aws.s3.BucketAcl(
    "collector-logs-acl",
    { bucket: props.bucket, acl: "private" },
    { parent: opts.parent, protect: opts.protect, retainOnDelete: opts.retainOnDelete },
  );
  return { props, opts: { ...opts, dependsOn: [acl] } };
};
const collector = new Collector(
  "collector",
  { ...config.collector, migrateLegacyLogBucket: false },
  { transformations: [oldAcl] },
);

export const collectorDomain = collector.collectorDomain;
