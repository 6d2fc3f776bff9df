// The real collector with the visitor's IP address added to the v2 delivery's fields.
import * as pulumi from "@pulumi/pulumi";
import { Collector } from "../../collector/collector";
import { loadStackConfig } from "../../collector/config/stackConfig";

const config = loadStackConfig();
const addClientIp: pulumi.ResourceTransformation = ({ type, props, opts }) =>
  type === "aws:cloudwatch/logDelivery:LogDelivery"
    ? { props: { ...props, recordFields: [...props.recordFields, "c-ip"] }, opts }
    : undefined;
const collector = new Collector("collector", config.collector, { transformations: [addClientIp] });

export const collectorDomain = collector.collectorDomain;
