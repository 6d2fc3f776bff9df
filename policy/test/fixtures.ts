// A builder for the whole, good collector stack as the analyzer hands it to a policy pack, so that each
// test changes one thing. Cross-resource references are written as `ref(name, output)`: when the stack
// is built they resolve to the target's value (the unknown sentinel at preview) and record the property
// dependency, as the engine does for an input built from another resource's output.
import { PolicyResource, unknownCheckingProxy } from "@pulumi/policy";

export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const LOG_DELIVERY_ID = "c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0";
export const OWNER_ID = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";

const STACK = "test";
const PROJECT = "cloudfront-collector";

export class Ref {
  constructor(
    readonly target: string,
    readonly output: string,
    /** How the input is built from the output once known, as `pulumi.interpolate` would. */
    readonly wrap: (value: string) => string = (value) => value,
  ) {}
}

/** A reference to another fixture resource's output (`id`, `bucketDomainName`, ...). */
export function ref(target: string, output: string, wrap?: (value: string) => string): Ref {
  return new Ref(target, output, wrap);
}

export interface FixtureResource {
  type: string;
  name: string;
  props: Record<string, unknown>;
  /** Outputs AWS computes: unknown at preview. */
  computed?: Record<string, string>;
  protect?: boolean;
  parent?: string;
  dependsOn?: string[];
  /**
   * A resource whose state carries no property dependencies (an old state): the engine then sends
   * none, where the SDK otherwise sends a (possibly empty) list for every input.
   */
  withoutPropertyDependencies?: boolean;
  /** Provider region; undefined uses the stack's, null leaves the provider without one. */
  providerRegion?: string | null;
}

export interface StackOptions {
  /** Preview: computed outputs are unknown. */
  preview?: boolean;
  /** The stack's aws:region; null for none. */
  region?: string | null;
}

export class StackFixture {
  readonly resources: FixtureResource[] = [];

  constructor(readonly options: StackOptions = {}) {}

  add(r: FixtureResource): FixtureResource {
    this.resources.push(r);
    return r;
  }

  get(name: string): FixtureResource {
    const r = this.resources.find((x) => x.name === name);
    if (!r) {
      throw new Error(`no fixture resource "${name}"`);
    }
    return r;
  }

  /** Mutates a resource's props in place (tests read more simply with a callback). */
  props(name: string): Record<string, unknown> {
    return this.get(name).props;
  }

  remove(name: string): void {
    const i = this.resources.findIndex((x) => x.name === name);
    if (i < 0) {
      throw new Error(`no fixture resource "${name}"`);
    }
    this.resources.splice(i, 1);
  }

  /** Renames a resource and every reference to it, as a user changing logical names would. */
  rename(from: string, to: string): void {
    for (const r of this.resources) {
      if (r.name === from) {
        r.name = to;
      }
      if (r.parent === from) {
        r.parent = to;
      }
      r.dependsOn = r.dependsOn?.map((d) => (d === from ? to : d));
      visitRefs(r.props, (ref) => (ref.target === from ? new Ref(to, ref.output, ref.wrap) : ref));
    }
  }

  /** The resources as @pulumi/policy's server builds them for validateStack. */
  build(): PolicyResource[] {
    const preview = this.options.preview ?? false;
    const stackRegion = this.options.region === undefined ? "eu-west-1" : this.options.region;
    const byName = new Map<string, PolicyResource>();
    const outputs = (r: FixtureResource): Record<string, unknown> => {
      const computed = Object.fromEntries(
        Object.entries(r.computed ?? {}).map(([k, v]) => [k, preview ? UNKNOWN_SENTINEL : v]),
      );
      return { ...r.props, ...computed };
    };
    const resolveValue = (r: FixtureResource, value: unknown, deps: Set<string>): unknown => {
      if (value instanceof Ref) {
        deps.add(value.target);
        const target = this.get(value.target);
        const output = outputs(target)[value.output] ?? UNKNOWN_SENTINEL;
        // An output that echoes an input built from a third resource (a CertificateValidation's
        // certificateArn) resolves through it; the dependency stays on the resource referred to.
        const resolved = output instanceof Ref ? resolveValue(target, output, new Set()) : output;
        return typeof resolved === "string" && resolved !== UNKNOWN_SENTINEL
          ? value.wrap(resolved)
          : resolved;
      }
      if (Array.isArray(value)) {
        return value.map((v) => resolveValue(r, v, deps));
      }
      if (value && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(r, v, deps)]));
      }
      return value;
    };

    const pending: { policy: PolicyResource; propDeps: Record<string, string[]>; deps: string[] }[] = [];
    for (const r of this.resources) {
      const props: Record<string, unknown> = {};
      const propDeps: Record<string, string[]> = {};
      for (const [key, value] of Object.entries(outputs(r))) {
        const deps = new Set<string>();
        props[key] = resolveValue(r, value, deps);
        if (!r.withoutPropertyDependencies) {
          propDeps[key] = [...deps];
        }
      }
      const region = r.providerRegion === undefined ? stackRegion : r.providerRegion;
      const policy: PolicyResource = {
        type: r.type,
        name: r.name,
        urn: this.urn(r),
        props: unknownCheckingProxy(props),
        opts: {
          protect: r.protect ?? false,
          ignoreChanges: [],
          aliases: [],
          customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
          additionalSecretOutputs: [],
          ...(r.parent ? { parent: this.urn(this.get(r.parent)) } : {}),
        },
        dependencies: [],
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
      };
      if (r.type.startsWith("aws:")) {
        policy.provider = {
          type: "pulumi:providers:aws",
          name: "default_7_48_0",
          urn: `urn:pulumi:${STACK}::${PROJECT}::pulumi:providers:aws::default_7_48_0`,
          props: unknownCheckingProxy(
            region === null ? { version: "7.48.0" } : { region, version: "7.48.0" },
          ),
        };
      }
      byName.set(r.name, policy);
      const allDeps = new Set([...(r.dependsOn ?? []), ...Object.values(propDeps).flat()]);
      pending.push({ policy, propDeps, deps: [...allDeps] });
    }
    for (const { policy, propDeps, deps } of pending) {
      const fixture = this.get(policy.name);
      if (fixture.parent) {
        policy.parent = byName.get(fixture.parent);
      }
      policy.dependencies = deps.map((d) => byName.get(d)).filter((d): d is PolicyResource => !!d);
      for (const [k, names] of Object.entries(propDeps)) {
        policy.propertyDependencies[k] = names
          .map((d) => byName.get(d))
          .filter((d): d is PolicyResource => !!d);
      }
    }
    return [...byName.values()];
  }

  urn(r: FixtureResource): string {
    const chain: string[] = [];
    for (let p = r.parent; p; p = this.get(p).parent) {
      chain.unshift(this.get(p).type);
    }
    return `urn:pulumi:${STACK}::${PROJECT}::${[...chain, r.type].join("$")}::${r.name}`;
  }
}

function visitRefs(value: unknown, f: (r: Ref) => Ref): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      if (v instanceof Ref) {
        value[i] = f(v);
      } else {
        visitRefs(v, f);
      }
    });
  } else if (value && typeof value === "object" && !(value instanceof Ref)) {
    const o = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) {
      if (v instanceof Ref) {
        o[k] = f(v);
      } else {
        visitRefs(v, f);
      }
    }
  }
}

export const T = {
  component: "cloudfront-collector:index:Collector",
  bucket: "aws:s3/bucket:Bucket",
  bucketV2: "aws:s3/bucketV2:BucketV2",
  object: "aws:s3/bucketObjectv2:BucketObjectv2",
  objectV1: "aws:s3/bucketObject:BucketObject",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  acl: "aws:s3/bucketAcl:BucketAcl",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  logging: "aws:s3/bucketLogging:BucketLogging",
  loggingV2: "aws:s3/bucketLoggingV2:BucketLoggingV2",
  cachePolicy: "aws:cloudfront/cachePolicy:CachePolicy",
  responseHeadersPolicy: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
  distribution: "aws:cloudfront/distribution:Distribution",
  deliverySource: "aws:cloudwatch/logDeliverySource:LogDeliverySource",
  deliveryDestination: "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
  delivery: "aws:cloudwatch/logDelivery:LogDelivery",
  certificate: "aws:acm/certificate:Certificate",
  certificateValidation: "aws:acm/certificateValidation:CertificateValidation",
  record: "aws:route53/record:Record",
} as const;

/** The privacy field set of the program (collector/eventLogs/logFields.ts), as a delivery lists it. */
export const PRIVACY_FIELDS = [
  "date",
  "time",
  "x-edge-location",
  "sc-bytes",
  "cs-method",
  "cs(Host)",
  "cs-uri-stem",
  "sc-status",
  "cs(Referer)",
  "cs(User-Agent)",
  "cs-uri-query",
  "x-edge-result-type",
  "x-edge-request-id",
  "x-host-header",
  "cs-protocol",
  "cs-bytes",
  "time-taken",
  "ssl-protocol",
  "ssl-cipher",
  "x-edge-response-result-type",
  "cs-protocol-version",
  "fle-status",
  "fle-encrypted-fields",
  "time-to-first-byte",
  "x-edge-detailed-result-type",
  "sc-content-type",
  "sc-content-len",
  "sc-range-start",
  "sc-range-end",
  "timestamp(ms)",
  "origin-fbl",
  "origin-lbl",
  "asn",
  "c-country",
  "cache-behavior-path-pattern",
];
export const ACCOUNT_ID = "111111111111";

function bucketComputed(name: string, region: string): Record<string, string> {
  const physical = `${name}-a1b2c3d`;
  return {
    id: physical,
    bucket: physical,
    arn: `arn:aws:s3:::${physical}`,
    bucketDomainName: `${physical}.s3.amazonaws.com`,
    bucketRegionalDomainName: `${physical}.s3.${region}.amazonaws.com`,
  };
}

export interface CollectorOptions extends StackOptions {
  /** legacy: the distribution's loggingConfig and an ACL grant; v2: a CloudWatch Logs delivery. */
  mode?: "legacy" | "v2";
  /** Distribution standard logging on (prod) or off (a dev "/dev/null" stack). */
  logging?: boolean;
  /**
   * The protect option of the log bucket and everything attached to it (and no forceDestroy,
   * skipDestroy on its public access block); dev turns it off.
   */
  protect?: boolean;
  /** v2 only: the log bucket came from legacy mode, so its BucketAcl stays as an owner-only reset. */
  migrateLegacyLogBucket?: boolean;
}

/** The good collector stack, as the program declares it; prod unless told otherwise. */
export function collectorStack(options: CollectorOptions = {}): StackFixture {
  const { logging = true, protect = true } = options;
  const s = new StackFixture(options);
  const region = options.region ?? "eu-west-1";
  const parent = "collector";
  s.add({ type: T.component, name: parent, props: {} });

  // Pixel bucket and its side resources.
  s.add({
    type: T.bucket,
    name: "collector-pixel",
    parent,
    props: { forceDestroy: false, tags: { "cloudfront-collector:role": "pixel" } },
    computed: bucketComputed("collector-pixel", region),
  });
  const onPixel = { bucket: ref("collector-pixel", "id") };
  s.add({
    type: T.ownership,
    name: "collector-pixel-ownership",
    parent,
    props: { ...onPixel, rule: { objectOwnership: "BucketOwnerPreferred" } },
  });
  s.add({
    type: T.publicAccess,
    name: "collector-pixel-public-access",
    parent,
    props: {
      ...onPixel,
      blockPublicAcls: false,
      ignorePublicAcls: false,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    },
  });
  s.add({
    type: T.encryption,
    name: "collector-pixel-encryption",
    parent,
    props: { ...onPixel, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
  });
  s.add({
    type: T.object,
    name: "collector-pixel-i",
    parent,
    props: {
      ...onPixel,
      key: "i",
      contentType: "image/gif",
      acl: "public-read",
      cacheControl: "no-cache, no-store, must-revalidate",
    },
    dependsOn: ["collector-pixel-ownership", "collector-pixel-public-access"],
  });

  // Log bucket and its side resources.
  s.add({
    type: T.bucket,
    name: "collector-logs",
    parent,
    protect,
    props: { forceDestroy: !protect, tags: { "cloudfront-collector:role": "logs" } },
    computed: bucketComputed("collector-logs", region),
  });
  const onLogs = { bucket: ref("collector-logs", "id") };
  s.add({
    type: T.publicAccess,
    name: "collector-logs-public-access",
    parent,
    protect,
    props: {
      ...onLogs,
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
      skipDestroy: protect,
    },
  });
  s.add({
    type: T.ownership,
    name: "collector-logs-ownership",
    parent,
    protect,
    props: { ...onLogs, rule: { objectOwnership: "BucketOwnerPreferred" } },
  });
  s.add({
    type: T.acl,
    name: "collector-logs-acl",
    parent,
    protect,
    dependsOn: ["collector-logs-ownership", "collector-logs-public-access"],
    props: {
      ...onLogs,
      accessControlPolicy: {
        owner: { id: OWNER_ID },
        grants: [
          { grantee: { type: "CanonicalUser", id: OWNER_ID }, permission: "FULL_CONTROL" },
          { grantee: { type: "CanonicalUser", id: LOG_DELIVERY_ID }, permission: "FULL_CONTROL" },
        ],
      },
    },
  });
  s.add({
    type: T.encryption,
    name: "collector-logs-encryption",
    parent,
    protect,
    props: { ...onLogs, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
  });
  s.add({
    type: T.versioning,
    name: "collector-logs-versioning",
    parent,
    protect,
    props: { ...onLogs, versioningConfiguration: { status: "Enabled" } },
  });
  s.add({
    type: T.lifecycle,
    name: "collector-logs-retention",
    parent,
    protect,
    dependsOn: ["collector-logs-versioning"],
    props: {
      ...onLogs,
      rules: [
        { id: "expire-logs", status: "Enabled", filter: { prefix: "" }, expiration: { days: 395 } },
        {
          id: "remove-expired-versions",
          status: "Enabled",
          filter: { prefix: "" },
          noncurrentVersionExpiration: { noncurrentDays: 30 },
          expiration: { expiredObjectDeleteMarker: true },
        },
      ],
    },
  });
  s.add({
    type: T.policy,
    name: "collector-logs-tls-only",
    parent,
    protect,
    dependsOn: ["collector-logs-public-access"],
    props: { ...onLogs, policy: tlsOnlyPolicy(options.preview ?? false) },
  });

  s.add({
    type: T.cachePolicy,
    name: "collector-cache",
    parent,
    props: { defaultTtl: 86400, minTtl: 86400, maxTtl: 31536000 },
    computed: { id: "cache-policy-id" },
  });
  s.add({
    type: T.responseHeadersPolicy,
    name: "collector-pixel-cors",
    parent,
    props: {
      corsConfig: {
        accessControlAllowCredentials: false,
        accessControlAllowHeaders: { items: ["Content-Type"] },
        accessControlAllowMethods: { items: ["GET", "HEAD"] },
        accessControlAllowOrigins: { items: ["*"] },
        originOverride: true,
      },
    },
    computed: { id: "a1b2c3d4-0000-4000-8000-000000000001" },
  });
  const behavior = {
    targetOriginId: "pixel",
    viewerProtocolPolicy: "https-only",
    allowedMethods: ["GET", "HEAD"],
    cachedMethods: ["GET", "HEAD"],
    cachePolicyId: ref("collector-cache", "id"),
    responseHeadersPolicyId: ref("collector-pixel-cors", "id"),
  };
  s.add({
    type: T.distribution,
    name: "collector-cdn",
    parent,
    dependsOn: logging ? ["collector-logs-ownership", "collector-logs-acl"] : [],
    props: {
      enabled: true,
      isIpv6Enabled: true,
      httpVersion: "http2and3",
      priceClass: "PriceClass_100",
      origins: [
        {
          originId: "pixel",
          domainName: ref("collector-pixel", "bucketRegionalDomainName"),
          s3OriginConfig: { originAccessIdentity: "" },
        },
      ],
      defaultCacheBehavior: behavior,
      viewerCertificate: { cloudfrontDefaultCertificate: true },
      restrictions: { geoRestriction: { restrictionType: "none" } },
      ...(logging
        ? {
            loggingConfig: {
              bucket: ref("collector-logs", "bucketDomainName"),
              includeCookies: false,
              prefix: "cloudfront/prod/",
            },
          }
        : {}),
    },
    computed: {
      id: "E2EXAMPLE",
      domainName: "d111111abcdef8.cloudfront.net",
      arn: `arn:aws:cloudfront::${ACCOUNT_ID}:distribution/E2EXAMPLE`,
    },
  });
  if (options.mode === "v2" && logging) {
    switchToV2(s, options.preview ?? false, options.migrateLegacyLogBucket ?? false);
  }
  return s;
}

/**
 * The program's v2 mode: ACLs off and no BucketAcl (a new bucket refuses any ACL call), a delivery
 * bucket policy, and the three delivery resources. A migrated legacy bucket keeps its BucketAcl
 * as an owner-only reset, after the delivery, and the ownership change waits for it.
 */
function switchToV2(s: StackFixture, preview: boolean, migrate: boolean): void {
  const parent = "collector";
  const onLogs = { bucket: ref("collector-logs", "id") };
  s.get("collector-logs-ownership").props = { ...onLogs, rule: { objectOwnership: "BucketOwnerEnforced" } };
  if (migrate) {
    s.get("collector-logs-acl").props = { ...onLogs, acl: "private" };
    s.get("collector-logs-acl").dependsOn = ["collector-access-logs-delivery"];
    s.get("collector-logs-ownership").dependsOn = ["collector-logs-acl"];
  } else {
    s.remove("collector-logs-acl");
    s.get("collector-logs-ownership").dependsOn = [];
  }
  s.props("collector-logs-tls-only").policy = preview ? UNKNOWN_SENTINEL : v2BucketPolicy();
  const cdn = s.get("collector-cdn");
  delete cdn.props.loggingConfig;
  cdn.dependsOn = [];
  s.add({
    type: T.deliverySource,
    name: "collector-access-logs",
    parent,
    props: { region: "us-east-1", logType: "ACCESS_LOGS", resourceArn: ref("collector-cdn", "arn") },
    computed: { name: "collector-access-logs-1a2b3c" },
  });
  s.add({
    type: T.deliveryDestination,
    name: "collector-log-bucket",
    parent,
    props: {
      region: "us-east-1",
      outputFormat: "json",
      deliveryDestinationConfiguration: {
        destinationResourceArn: ref("collector-logs", "arn", (arn) => `${arn}/cloudfront/prod`),
      },
    },
    computed: {
      name: "collector-log-bucket-4d5e6f",
      arn: `arn:aws:logs:us-east-1:${ACCOUNT_ID}:delivery-destination:collector-log-bucket-4d5e6f`,
    },
  });
  s.add({
    type: T.delivery,
    name: "collector-access-logs-delivery",
    parent,
    dependsOn: ["collector-logs-tls-only"],
    props: {
      region: "us-east-1",
      deliverySourceName: ref("collector-access-logs", "name"),
      deliveryDestinationArn: ref("collector-log-bucket", "arn"),
      recordFields: [...PRIVACY_FIELDS],
      s3DeliveryConfigurations: [
        { suffixPath: "{distributionid}/{yyyy}/{MM}/{dd}/{HH}", enableHiveCompatiblePath: true },
      ],
    },
  });
}

/** The v2 log bucket policy: TLS only, plus CloudWatch Logs delivery with its conditions. */
export function v2BucketPolicy(putObjectCondition?: Record<string, unknown>): string {
  const bucketArn = "arn:aws:s3:::collector-logs-a1b2c3d";
  const fromOurSources = {
    StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
    ArnLike: { "aws:SourceArn": `arn:aws:logs:us-east-1:${ACCOUNT_ID}:delivery-source:*` },
  };
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "AWSLogsDeliveryWrite",
        Effect: "Allow",
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${bucketArn}/cloudfront/prod/*`,
        Condition: putObjectCondition ?? {
          ...fromOurSources,
          StringEquals: { ...fromOurSources.StringEquals, "s3:x-amz-acl": "bucket-owner-full-control" },
        },
      },
      {
        Sid: "AWSLogsDeliveryAclCheck",
        Effect: "Allow",
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: ["s3:GetBucketAcl", "s3:ListBucket"],
        Resource: bucketArn,
        Condition: fromOurSources,
      },
    ],
  });
}

function tlsOnlyPolicy(preview: boolean): string {
  if (preview) {
    // Built from the bucket's ARN, so the whole document is unknown at preview.
    return UNKNOWN_SENTINEL;
  }
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: ["arn:aws:s3:::collector-logs-a1b2c3d", "arn:aws:s3:::collector-logs-a1b2c3d/*"],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
}

/** A public-read bucket policy (Allow to everyone), as a JSON string. */
export function publicReadPolicy(principal: unknown = "*"): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "PublicRead", Effect: "Allow", Principal: principal, Action: "s3:GetObject", Resource: "*" },
    ],
  });
}
