// The real collector with one guard of the prod log bucket left unprotected: its lifecycle
// configuration, whose deletion would keep the logs forever.
import * as pulumi from "@pulumi/pulumi";
import { Collector } from "../../collector/collector";
import { loadStackConfig } from "../../collector/config/stackConfig";

const config = loadStackConfig();
const unprotect: pulumi.ResourceTransformation = ({ type, props, opts }) =>
  type === "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
    ? { props, opts: { ...opts, protect: false, retainOnDelete: false } }
    : undefined;
const collector = new Collector("collector", config.collector, { transformations: [unprotect] });

export const collectorDomain = collector.collectorDomain;
