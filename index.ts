// The collector stack: pixel bucket, pixel, log bucket and logged CloudFront distribution with
// CORS for trackers; in v2 mode the IP-free log delivery, and with analytics the Athena table.
// Config is read and validated first (collector/config/stackConfig.ts): a bad value stops the program
// before any resource is declared.
import { Collector } from "./collector/collector";
import { loadStackConfig, outsideEngineProblem } from "./collector/config/stackConfig";

const notUnderEngine = outsideEngineProblem();
if (notUnderEngine !== undefined) {
  console.error(notUnderEngine);
  process.exit(2);
}

const config = loadStackConfig();
const collector = new Collector("collector", config.collector);

// What a tracker and the commands in commands/ consume (`pulumi stack output --json`).
export const collectorDomain = collector.collectorDomain;
export const pixelUrl = collector.pixelUrl;
export const distributionId = collector.distributionId;
export const distributionDomain = collector.distributionDomain;
export const pixelBucket = collector.pixelBucket;
export const logBucket = collector.logBucket;
export const logPrefix = collector.logPrefix;
// legacy: flat `<prefix><distributionId>.YYYY-MM-DD-HH.<id>.gz` files; v2: Hive-partitioned paths
// under the prefix (collector/eventLogs/logLayout.ts), in logOutputFormat, with logRecordFields.
export const loggingMode = collector.loggingMode;
export const logOutputFormat = collector.logOutputFormat;
export const logRecordFields = collector.logRecordFields;
export const region = config.region;
export const loggingEnabled = config.collector.loggingEnabled;
export const viewerProtocolPolicy = config.collector.viewerProtocolPolicy;
export const corsAllowedOrigins = collector.corsAllowedOrigins;
export const trackerConfig = collector.trackerConfig;
// With a custom domain: the DNS records of the name (docs/deploy.md, "A custom domain").
export const customDomainDns = collector.customDomainDns;
export const analytics = collector.analytics;
