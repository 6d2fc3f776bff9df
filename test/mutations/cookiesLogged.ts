// The real collector with cookies switched into the access logs through a transformation.
import * as pulumi from "@pulumi/pulumi";
import { Collector } from "../../collector/collector";
import { loadStackConfig } from "../../collector/config/stackConfig";

const config = loadStackConfig();
const logCookies: pulumi.ResourceTransformation = ({ type, props, opts }) =>
  type === "aws:cloudfront/distribution:Distribution"
    ? { props: { ...props, loggingConfig: { ...props.loggingConfig, includeCookies: true } }, opts }
    : undefined;
const collector = new Collector("collector", config.collector, { transformations: [logCookies] });

export const collectorDomain = collector.collectorDomain;
