/**
 * The collector as one reusable component: pixel bucket and pixel, log bucket, distribution.
 * Another program can declare `new Collector("events", {...})` and get the same guarded setup.
 */
import * as pulumi from "@pulumi/pulumi";
import { AnalyticsOutputs, declareAnalytics } from "./analytics/analytics";
import { DEFAULT_CORS_ALLOWED_ORIGINS } from "./edge/cors";
import { declareCorsPolicy } from "./edge/corsPolicy";
import { CollectorArgs, LoggingMode, LogOutputFormat, validateCollectorArgs } from "./config/args";
import { declareDistribution } from "./edge/distribution";
import { declareAliasRecords, declareDomainCertificate, DnsRecord, manualDnsRecords } from "./edge/domain";
import { declareLogBucket, disableAcls } from "./eventLogs/logBucket";
import { declareLogDelivery, W3C_FIELD_DELIMITER } from "./eventLogs/logDelivery";
import { declarePixelBucket } from "./edge/pixelBucket";
import { TrackerConfig, trackerConfigFor } from "./edge/trackerConfig";

export interface CustomDomainDns {
  managedBy: "stack" | "you";
  records: DnsRecord[];
}

export class Collector extends pulumi.ComponentResource {
  /** The host trackers send events to: the custom domain if set, else the CloudFront domain. */
  public readonly collectorDomain: pulumi.Output<string>;
  /** `https://<collectorDomain>/i`. */
  public readonly pixelUrl: pulumi.Output<string>;
  public readonly distributionId: pulumi.Output<string>;
  /** The distribution's own *.cloudfront.net name: the CNAME target for a custom domain. */
  public readonly distributionDomain: pulumi.Output<string>;
  public readonly pixelBucket: pulumi.Output<string>;
  public readonly logBucket: pulumi.Output<string>;
  /** Where the log files are, or undefined while logging is off. */
  public readonly logPrefix: pulumi.Output<string | undefined>;
  /** The origins the pixel's CORS answer admits: `["*"]`, or the listed sites. */
  public readonly corsAllowedOrigins: pulumi.Output<string[]>;
  /** legacy or v2: how the files under logPrefix are laid out and written. */
  public readonly loggingMode: LoggingMode;
  /** v2 only: json or w3c. */
  public readonly logOutputFormat: LogOutputFormat | undefined;
  /** v2 only: the fields each record carries. */
  public readonly logRecordFields: readonly string[] | undefined;
  public readonly trackerConfig: pulumi.Output<TrackerConfig>;
  /**
   * The custom domain's DNS records: the ones the stack wrote in Route 53 (managedBy "stack"), or
   * the ones the deployer must write where the DNS is kept (managedBy "you"). Undefined without one.
   */
  public readonly customDomainDns: pulumi.Output<CustomDomainDns | undefined>;
  /** Where to query the events with Athena, or undefined while analytics is off. */
  public readonly analytics: pulumi.Output<AnalyticsOutputs | undefined>;

  constructor(name: string, args: CollectorArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before super(): a bad argument must not leave a half-registered component behind.
    validateCollectorArgs(args);
    super("cloudfront-collector:index:Collector", name, {}, opts);

    const tags = { ...args.tags, "cloudfront-collector:component": name };
    const children = { parent: this };
    const corsAllowedOrigins = [...(args.corsAllowedOrigins ?? DEFAULT_CORS_ALLOWED_ORIGINS)];

    const mode = args.loggingMode ?? "legacy";
    const { bucket: pixelBucket } = declarePixelBucket(name, tags, children);
    const logs = declareLogBucket(
      name,
      {
        mode,
        logPrefix: args.logPrefix,
        retentionDays: args.retentionDays,
        noncurrentVersionRetentionDays: args.noncurrentVersionRetentionDays,
        protect: args.protectLogBucket,
        tags,
      },
      children,
    );
    const custom = args.customDomain;
    const zoneId = custom?.hostedZoneId;
    const managed =
      custom !== undefined && zoneId !== undefined
        ? declareDomainCertificate(name, { domain: custom.domain, hostedZoneId: zoneId, tags }, children)
        : undefined;
    const distribution = declareDistribution(
      name,
      {
        pixelBucket,
        // v2 replaces the distribution's own logging, which would write every visitor's IP.
        logging:
          args.loggingEnabled && mode === "legacy"
            ? { bucket: logs.bucket, prefix: args.logPrefix, dependsOn: logs.readyForLogDelivery }
            : undefined,
        priceClass: args.priceClass,
        viewerProtocolPolicy: args.viewerProtocolPolicy,
        responseHeadersPolicy: declareCorsPolicy(name, corsAllowedOrigins, children),
        customDomain: custom && {
          domain: custom.domain,
          certificateArn: managed?.issuedCertificateArn ?? custom.certificateArn ?? "",
        },
        tags,
      },
      children,
    );
    // The record types as the records hold them, so the output lists what was declared.
    const aliasTypes = pulumi.all(
      custom !== undefined && zoneId !== undefined
        ? declareAliasRecords(
            name,
            { domain: custom.domain, hostedZoneId: zoneId, distribution },
            children,
          ).map((r) => r.type)
        : [],
    );
    const delivery =
      args.loggingEnabled && mode === "v2"
        ? declareLogDelivery(
            name,
            {
              distribution,
              bucket: logs.bucket,
              logPrefix: args.logPrefix,
              recordFields: args.recordFields ?? [],
              outputFormat: args.logOutputFormat ?? "json",
              bucketPolicy: logs.policy,
              tags,
            },
            children,
          )
        : undefined;
    if (mode === "v2") {
      // After the delivery (or the distribution's switch away from legacy logging): a legacy
      // bucket loses CloudFront's grant only once v2 logs can flow.
      disableAcls(name, logs, {
        resetLegacyAcl: args.migrateLegacyLogBucket ?? false,
        after: delivery ? [delivery.delivery] : [distribution],
      });
    }

    // Validation refuses analytics without logging: there is a log prefix whenever this runs.
    const analytics = args.analytics
      ? declareAnalytics(
          name,
          {
            ...args.analytics,
            logBucket: logs.bucket,
            logPrefix: args.logPrefix,
            tablePrefix: args.logTablePrefix ?? args.logPrefix,
            distributionId: distribution.id,
            source:
              mode === "v2"
                ? {
                    layout: "v2",
                    recordFields: args.recordFields ?? [],
                    outputFormat: args.logOutputFormat ?? "json",
                    fieldDelimiter: W3C_FIELD_DELIMITER,
                  }
                : { layout: "legacy" },
            tags,
          },
          children,
        )
      : undefined;

    this.distributionId = distribution.id;
    this.distributionDomain = distribution.domainName;
    this.collectorDomain = args.customDomain
      ? pulumi.output(args.customDomain.domain)
      : distribution.domainName;
    this.corsAllowedOrigins = pulumi.output(corsAllowedOrigins);
    this.trackerConfig = this.collectorDomain.apply((domain) => trackerConfigFor(domain, corsAllowedOrigins));
    this.pixelUrl = this.trackerConfig.pixelUrl;
    this.customDomainDns =
      custom === undefined
        ? pulumi.output(undefined)
        : managed === undefined
          ? distribution.domainName.apply((target) => ({
              managedBy: "you" as const,
              records: manualDnsRecords(custom.domain, target),
            }))
          : pulumi
              .all([managed.certificate.domainValidationOptions, distribution.domainName, aliasTypes])
              .apply(([options, target, types]) => ({
                managedBy: "stack" as const,
                records: [
                  ...options.map((o) => ({
                    name: o.resourceRecordName,
                    type: o.resourceRecordType,
                    value: o.resourceRecordValue,
                    purpose: `ACM's DNS validation of ${o.domainName}, kept for its renewals`,
                  })),
                  ...types.map((type) => ({
                    name: custom.domain,
                    type: `${type} (alias)`,
                    value: target,
                    purpose: "points the collector's name at the distribution",
                  })),
                ],
              }));
    this.pixelBucket = pixelBucket.bucket;
    this.logBucket = logs.bucket.bucket;
    this.logPrefix = pulumi.output(args.loggingEnabled ? args.logPrefix : undefined);
    this.analytics = analytics ? analytics.outputs : pulumi.output(undefined);
    this.loggingMode = mode;
    this.logOutputFormat = mode === "v2" ? args.logOutputFormat : undefined;
    this.logRecordFields = mode === "v2" ? args.recordFields : undefined;

    this.registerOutputs({
      collectorDomain: this.collectorDomain,
      pixelUrl: this.pixelUrl,
      distributionId: this.distributionId,
      distributionDomain: this.distributionDomain,
      pixelBucket: this.pixelBucket,
      logBucket: this.logBucket,
      logPrefix: this.logPrefix,
      corsAllowedOrigins: this.corsAllowedOrigins,
      loggingMode: this.loggingMode,
      logOutputFormat: this.logOutputFormat,
      logRecordFields: this.logRecordFields,
      trackerConfig: this.trackerConfig,
      customDomainDns: this.customDomainDns,
      analytics: this.analytics,
    });
  }
}
