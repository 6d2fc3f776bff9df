/**
 * CloudFront standard logging v2: the distribution's access logs delivered by CloudWatch Logs
 * ("vended logs") to the log bucket, with the fields the collector chooses, so that no IP address
 * needs to be stored.
 *
 * Source, destination and delivery live in us-east-1 whatever the stack's Region (CloudFront's
 * "Enable standard logging (CloudWatch API)"), set per resource through provider v7's `region`
 * input rather than a second provider. The bucket stays where it is.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LogOutputFormat } from "../config/args";
import { destinationResourceArn, V2_HIVE_COMPATIBLE, V2_SUFFIX_PATH } from "./logLayout";

/** CloudFront's vended-log API answers in us-east-1 only. */
export const LOG_DELIVERY_REGION = "us-east-1";

/**
 * The W3C delimiter the reader splits on: a tab, as in legacy files. Set explicitly because only
 * w3c, plain and raw take a delimiter and AWS's default is not documented; JSON takes none.
 */
export const W3C_FIELD_DELIMITER = "\t";

export interface LogDeliveryArgs {
  distribution: aws.cloudfront.Distribution;
  bucket: aws.s3.Bucket;
  /** The collector's logPrefix; the destination ARN carries it (see logLayout.ts). */
  logPrefix: string;
  recordFields: readonly string[];
  outputFormat: LogOutputFormat;
  /** The bucket policy that lets delivery.logs.amazonaws.com write: CreateDelivery checks it. */
  bucketPolicy: pulumi.Resource;
  tags: Record<string, string>;
}

export interface LogDelivery {
  source: aws.cloudwatch.LogDeliverySource;
  destination: aws.cloudwatch.LogDeliveryDestination;
  delivery: aws.cloudwatch.LogDelivery;
}

export function declareLogDelivery(
  name: string,
  args: LogDeliveryArgs,
  opts: pulumi.CustomResourceOptions,
): LogDelivery {
  const source = new aws.cloudwatch.LogDeliverySource(
    `${name}-access-logs`,
    {
      region: LOG_DELIVERY_REGION,
      logType: "ACCESS_LOGS",
      resourceArn: args.distribution.arn,
      tags: args.tags,
    },
    // A distribution takes one delivery source ("This ResourceId has already been used"): a
    // replacement must delete the old source before it creates the new one.
    { ...opts, deleteBeforeReplace: true },
  );

  const destination = new aws.cloudwatch.LogDeliveryDestination(
    `${name}-log-bucket`,
    {
      region: LOG_DELIVERY_REGION,
      // The format is fixed at creation: changing it replaces the destination.
      outputFormat: args.outputFormat,
      deliveryDestinationConfiguration: {
        // An explicit prefix: without one CloudFront adds AWSLogs/<account>/CloudFront/ on create
        // and drops it on update (cloudformation-coverage-roadmap #2274).
        destinationResourceArn: args.bucket.arn.apply((arn) => destinationResourceArn(arn, args.logPrefix)),
      },
      tags: args.tags,
    },
    opts,
  );

  const delivery = new aws.cloudwatch.LogDelivery(
    `${name}-access-logs-delivery`,
    {
      region: LOG_DELIVERY_REGION,
      deliverySourceName: source.name,
      deliveryDestinationArn: destination.arn,
      // Listed explicitly: AWS's default is every field, c-ip included.
      recordFields: [...args.recordFields],
      fieldDelimiter: args.outputFormat === "w3c" ? W3C_FIELD_DELIMITER : undefined,
      s3DeliveryConfigurations: [
        { suffixPath: V2_SUFFIX_PATH, enableHiveCompatiblePath: V2_HIVE_COMPATIBLE },
      ],
      tags: args.tags,
    },
    // One delivery only: parallel CreateDelivery calls for one source can fail with
    // ConflictException (terraform-provider-aws #42194); a second must depend on this one.
    { ...opts, dependsOn: [args.bucketPolicy] },
  );

  return { source, destination, delivery };
}
