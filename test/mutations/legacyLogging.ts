// The real collector switched back to legacy standard logging, which always writes c-ip.
import { Collector } from "../../collector/collector";
import { loadStackConfig } from "../../collector/config/stackConfig";

const config = loadStackConfig();
const collector = new Collector("collector", { ...config.collector, loggingMode: "legacy" });

export const collectorDomain = collector.collectorDomain;
