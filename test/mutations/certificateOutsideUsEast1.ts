// The real collector with a custom domain whose certificate (and its validation) are requested in
// the stack's own Region instead of us-east-1, where CloudFront cannot read them.
import * as pulumi from "@pulumi/pulumi";
import { Collector } from "../../collector/collector";
import { loadStackConfig } from "../../collector/config/stackConfig";

const config = loadStackConfig();
const inStackRegion: pulumi.ResourceTransformation = ({ type, props, opts }) =>
  type.startsWith("aws:acm/") ? { props: { ...props, region: config.region }, opts } : undefined;
const collector = new Collector("collector", config.collector, { transformations: [inStackRegion] });

export const collectorDomain = collector.collectorDomain;
