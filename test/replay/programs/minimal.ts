// Minimal programs for the replay's rule specs: `minimal:case` picks one, `minimal:fixed` the
// corrected version of it. Each declares only what its rule looks at.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config("minimal");
const which = config.require("case");
const fixed = config.getBoolean("fixed") ?? false;
const step = config.getNumber("step") ?? 1;

const LOG_DELIVERY = "c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0";
const owner = aws.s3.getCanonicalUserIdOutput().id;

function distribution(
  name: string,
  origin: aws.s3.Bucket,
  extra: Partial<aws.cloudfront.DistributionArgs> = {},
  opts: pulumi.CustomResourceOptions = {},
) {
  const { defaultCacheBehavior, ...rest } = extra;
  return new aws.cloudfront.Distribution(
    name,
    {
      enabled: true,
      origins: [{ originId: "o", domainName: origin.bucketRegionalDomainName }],
      defaultCacheBehavior: {
        targetOriginId: "o",
        viewerProtocolPolicy: "https-only",
        allowedMethods: ["GET", "HEAD"],
        cachedMethods: ["GET", "HEAD"],
        ...(defaultCacheBehavior as object),
      },
      restrictions: { geoRestriction: { restrictionType: "none" } },
      viewerCertificate: { cloudfrontDefaultCertificate: true },
      ...rest,
    },
    opts,
  );
}

function cors(name: string, origins: string[], credentials: boolean, headers: string[]) {
  return new aws.cloudfront.ResponseHeadersPolicy(name, {
    corsConfig: {
      accessControlAllowCredentials: credentials,
      accessControlAllowHeaders: { items: headers },
      accessControlAllowMethods: { items: ["GET"] },
      accessControlAllowOrigins: { items: origins },
      originOverride: true,
    },
  });
}

switch (which) {
  case "bucket-acl": {
    const bucket = new aws.s3.Bucket("b");
    const ownership = fixed
      ? [
          new aws.s3.BucketOwnershipControls("own", {
            bucket: bucket.id,
            rule: { objectOwnership: "BucketOwnerPreferred" },
          }),
        ]
      : [];
    new aws.s3.BucketAcl("acl", { bucket: bucket.id, acl: "private" }, { dependsOn: ownership });
    break;
  }
  case "object-acl": {
    const bucket = new aws.s3.Bucket("b");
    const deps: pulumi.Resource[] = [
      new aws.s3.BucketPublicAccessBlock("pab", {
        bucket: bucket.id,
        blockPublicAcls: false,
        ignorePublicAcls: false,
        blockPublicPolicy: true,
        restrictPublicBuckets: true,
      }),
    ];
    if (fixed) {
      deps.push(
        new aws.s3.BucketOwnershipControls("own", {
          bucket: bucket.id,
          rule: { objectOwnership: "BucketOwnerPreferred" },
        }),
      );
    }
    new aws.s3.BucketObjectv2(
      "o",
      { bucket: bucket.id, key: "i", content: "x", acl: "public-read" },
      { dependsOn: deps },
    );
    break;
  }
  case "public-acl": {
    const bucket = new aws.s3.Bucket("b");
    const ownership = new aws.s3.BucketOwnershipControls("own", {
      bucket: bucket.id,
      rule: { objectOwnership: "BucketOwnerPreferred" },
    });
    const deps: pulumi.Resource[] = [ownership];
    if (fixed) {
      deps.push(
        new aws.s3.BucketPublicAccessBlock("pab", {
          bucket: bucket.id,
          blockPublicAcls: false,
          ignorePublicAcls: false,
          blockPublicPolicy: true,
          restrictPublicBuckets: true,
        }),
      );
    }
    new aws.s3.BucketObjectv2(
      "o",
      { bucket: bucket.id, key: "i", content: "x", acl: "public-read" },
      { dependsOn: deps },
    );
    break;
  }
  case "public-policy": {
    const bucket = new aws.s3.Bucket("b");
    const principal = fixed ? { Service: "delivery.logs.amazonaws.com" } : "*";
    new aws.s3.BucketPolicy("p", {
      bucket: bucket.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: principal,
            Action: "s3:GetObject",
            Resource: pulumi.interpolate`${bucket.arn}/*`,
          },
        ],
      }),
    });
    break;
  }
  case "disable-acls": {
    // step 1: ACLs on, with CloudFront's grant; step 2: ACLs disabled (fixed: the grant reset first).
    const bucket = new aws.s3.Bucket("b");
    const grant = (id: pulumi.Input<string>) => ({
      grantee: { type: "CanonicalUser", id },
      permission: "FULL_CONTROL",
    });
    if (step === 1) {
      const own = new aws.s3.BucketOwnershipControls("own", {
        bucket: bucket.id,
        rule: { objectOwnership: "BucketOwnerPreferred" },
      });
      new aws.s3.BucketAcl(
        "acl",
        {
          bucket: bucket.id,
          accessControlPolicy: { owner: { id: owner }, grants: [grant(owner), grant(LOG_DELIVERY)] },
        },
        { dependsOn: [own] },
      );
    } else {
      const reset = fixed ? [new aws.s3.BucketAcl("acl", { bucket: bucket.id, acl: "private" })] : [];
      new aws.s3.BucketOwnershipControls(
        "own",
        { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
        { dependsOn: reset },
      );
    }
    break;
  }
  case "legacy-logging": {
    const pixel = new aws.s3.Bucket("pixel");
    const logs = new aws.s3.Bucket("logs");
    // "unordered": the ownership change exists but the distribution does not wait for it.
    const ownership =
      fixed || config.getBoolean("unordered")
        ? [
            new aws.s3.BucketOwnershipControls("own", {
              bucket: logs.id,
              rule: { objectOwnership: "BucketOwnerPreferred" },
            }),
          ]
        : [];
    distribution(
      "cdn",
      pixel,
      { loggingConfig: { bucket: logs.bucketDomainName, prefix: "cf/" } },
      { dependsOn: fixed ? ownership : [] },
    );
    break;
  }
  case "cors-credentials":
    cors("cors", fixed ? ["https://www.example.com"] : ["*"], true, ["Content-Type"]);
    break;
  case "cors-headers":
    cors("cors", ["*"], false, fixed ? ["Content-Type"] : []);
    break;
  case "v2-delivery": {
    // region: where the three delivery resources go; ordered: whether the delivery waits for the policy.
    const region = config.get("region") ?? "us-east-1";
    const pixel = new aws.s3.Bucket("pixel");
    const logs = new aws.s3.Bucket("logs");
    const cdn = distribution("cdn", pixel);
    const policy = new aws.s3.BucketPolicy("policy", {
      bucket: logs.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "delivery.logs.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${logs.arn}/cf/*`,
            Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } },
          },
        ],
      }),
    });
    const sources = config.getNumber("sources") ?? 1;
    const sourceNames: pulumi.Output<string>[] = [];
    for (let i = 0; i < sources; i++) {
      const source = new aws.cloudwatch.LogDeliverySource(`source${i || ""}`, {
        region,
        logType: "ACCESS_LOGS",
        resourceArn: cdn.arn,
      });
      sourceNames.push(source.name);
    }
    const destination = new aws.cloudwatch.LogDeliveryDestination("dest", {
      region,
      outputFormat: "json",
      deliveryDestinationConfiguration: { destinationResourceArn: pulumi.interpolate`${logs.arn}/cf` },
    });
    new aws.cloudwatch.LogDelivery(
      "delivery",
      {
        region,
        deliverySourceName: sourceNames[sourceNames.length - 1],
        deliveryDestinationArn: destination.arn,
        recordFields: ["date"],
        s3DeliveryConfigurations: [{ suffixPath: "{yyyy}", enableHiveCompatiblePath: true }],
      },
      { dependsOn: config.getBoolean("ordered") ? [policy] : [] },
    );
    break;
  }
  case "versioned-bucket": {
    const bucket = new aws.s3.Bucket("b", { forceDestroy: fixed });
    const versioning = new aws.s3.BucketVersioning("v", {
      bucket: bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    new aws.s3.BucketObjectv2(
      "o",
      { bucket: bucket.id, key: "k", content: "x" },
      { dependsOn: [versioning] },
    );
    break;
  }
  case "protected":
    new aws.s3.Bucket("b", {}, { protect: !fixed });
    break;
  case "policy-in-use": {
    const pixel = new aws.s3.Bucket("pixel");
    const policy = cors("cors", ["*"], false, ["Content-Type"]);
    // A distribution kept by retainOnDelete still uses the policy when the destroy deletes it.
    distribution(
      "cdn",
      pixel,
      { defaultCacheBehavior: { responseHeadersPolicyId: policy.id } as never },
      { retainOnDelete: !fixed },
    );
    break;
  }
  default:
    throw new Error(`minimal:case ${JSON.stringify(which)} is not one of the minimal programs`);
}
