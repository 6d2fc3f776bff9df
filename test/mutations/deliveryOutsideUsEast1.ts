// The real collector with its log delivery resources declared in the stack's own Region.
import * as pulumi from "@pulumi/pulumi";
import { Collector } from "../../collector/collector";
import { loadStackConfig } from "../../collector/config/stackConfig";

const config = loadStackConfig();
const inStackRegion: pulumi.ResourceTransformation = ({ type, props, opts }) =>
  type.startsWith("aws:cloudwatch/logDelivery")
    ? { props: { ...props, region: config.region }, opts }
    : undefined;
const collector = new Collector("collector", config.collector, { transformations: [inStackRegion] });

export const collectorDomain = collector.collectorDomain;
