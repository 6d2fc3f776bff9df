// The real collector with its analytics loosened one way per policy: the workgroup neither enforced
// nor capped and declared in us-east-1, its results unencrypted in a bucket whose public access
// block lets public policies in, and the table reading a bucket that is not the log bucket.
import * as pulumi from "@pulumi/pulumi";
import { Collector } from "../../collector/collector";
import { loadStackConfig } from "../../collector/config/stackConfig";

const config = loadStackConfig();
const loosen: pulumi.ResourceTransformation = ({ type, name, props, opts }) => {
  if (type === "aws:athena/workgroup:Workgroup") {
    const configuration = { ...props.configuration, enforceWorkgroupConfiguration: false };
    delete configuration.bytesScannedCutoffPerQuery;
    configuration.resultConfiguration = {
      ...configuration.resultConfiguration,
      encryptionConfiguration: undefined,
    };
    return { props: { ...props, region: "us-east-1", configuration }, opts };
  }
  if (
    type === "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock" &&
    name.endsWith("-query-results-public-access")
  ) {
    return { props: { ...props, blockPublicPolicy: false }, opts };
  }
  if (type === "aws:glue/catalogTable:CatalogTable") {
    const storageDescriptor = {
      ...props.storageDescriptor,
      location: "s3://somebody-elses-bucket/cloudfront/prod/",
    };
    return { props: { ...props, storageDescriptor }, opts };
  }
  return undefined;
};
const collector = new Collector("collector", config.collector, { transformations: [loosen] });

export const collectorDomain = collector.collectorDomain;
