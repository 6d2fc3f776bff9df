// The real collector plus S3 server access logging on its pixel bucket: the mistake the pack's
// core rule exists for. The pixel bucket is reached only through the component's output, as a
// user's own program would.
import * as aws from "@pulumi/aws";
import { Collector } from "../../collector/collector";
import { loadStackConfig } from "../../collector/config/stackConfig";

const config = loadStackConfig();
const collector = new Collector("collector", config.collector);
const accessLogs = new aws.s3.Bucket("access-logs");
new aws.s3.BucketLogging("pixel-access-logging", {
  bucket: collector.pixelBucket,
  targetBucket: accessLogs.id,
  targetPrefix: "pixel/",
});

export const collectorDomain = collector.collectorDomain;
