// How the pack finds the collector's parts in a stack.
//
// Logical names are the user's to change, and at preview the values AWS computes (bucket ids, names,
// domain names) are unknown, so a side resource cannot be matched to its bucket by value alone. The
// graph is followed instead: a resource whose `bucket` input was built from a bucket's output carries
// that bucket in its propertyDependencies. Known values are matched too, for deployed stacks and for
// literal bucket names.
import type { PolicyResource } from "@pulumi/policy";

import {
  BUCKET,
  BUCKET_OBJECT,
  COLLECTOR_COMPONENT,
  DISTRIBUTION,
  LOG_DELIVERY,
  LOG_DELIVERY_DESTINATION,
  LOG_DELIVERY_SOURCE,
  PIXEL_KEY,
  ROLE_TAG,
  isOneOf,
} from "./awsTypes";
import { Plain, PlainObject, UNKNOWN, Unknown, arr, isUnknown, obj, plainObject, str } from "./values";

export interface Node {
  readonly resource: PolicyResource;
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Proxy-free props, unknowns as UNKNOWN. */
  readonly props: PlainObject;
}

/** Why a bucket is taken for the pixel bucket; any one signal is enough. */
export type PixelSignal = "role tag" | "pixel object" | "distribution origin";
export type LogSignal = "role tag" | "distribution logging" | "v2 delivery";

export class CollectorGraph {
  readonly nodes: readonly Node[];
  readonly buckets: readonly Node[];
  readonly distributions: readonly Node[];
  readonly components: readonly Node[];
  /** Pixel buckets, each with the signals that identified it. */
  readonly pixelBuckets: ReadonlyMap<Node, readonly PixelSignal[]>;
  readonly logBuckets: ReadonlyMap<Node, readonly LogSignal[]>;

  private readonly byResource: Map<PolicyResource, Node>;

  constructor(resources: readonly PolicyResource[]) {
    this.byResource = new Map();
    for (const resource of resources) {
      this.byResource.set(resource, {
        resource,
        urn: resource.urn,
        type: resource.type,
        name: resource.name,
        props: plainObject(resource.props),
      });
    }
    this.nodes = [...this.byResource.values()];
    this.buckets = this.ofType(BUCKET);
    this.distributions = this.ofType(DISTRIBUTION);
    this.components = this.nodes.filter((n) => n.type === COLLECTOR_COMPONENT);
    this.pixelBuckets = this.findPixelBuckets();
    this.logBuckets = this.findLogBuckets();
  }

  ofType(tokens: readonly string[]): Node[] {
    return this.nodes.filter((n) => isOneOf(n.type, tokens));
  }

  node(resource: PolicyResource): Node | undefined {
    return this.byResource.get(resource);
  }

  isPixelBucket(n: Node): boolean {
    return this.pixelBuckets.has(n);
  }

  isLogBucket(n: Node): boolean {
    return this.logBuckets.has(n);
  }

  /** Resources of the given types whose `prop` input refers to `bucket`. */
  attachedTo(bucket: Node, tokens: readonly string[], prop = "bucket"): Node[] {
    return this.ofType(tokens).filter((n) => this.refersTo(n, prop, n.props[prop], bucket));
  }

  /**
   * Every resource attached to `bucket`, whatever its type: one whose `bucket` input refers to it
   * (side resources, objects, and any kind added later).
   */
  attachments(bucket: Node): Node[] {
    return this.nodes.filter(
      (n) => n !== bucket && !isOneOf(n.type, BUCKET) && this.refersTo(n, "bucket", n.props.bucket, bucket),
    );
  }

  /** The buckets that `value` (held at top-level input `prop` of `from`) refers to. */
  bucketsReferredTo(from: Node, prop: string, value: Plain | undefined): Node[] {
    return this.buckets.filter((b) => b !== from && this.refersTo(from, prop, value, b));
  }

  /**
   * Whether `value`, found under the top-level input `prop` of `from`, refers to `bucket`: by
   * property dependency, by a known name/domain, or, when the engine sent no property
   * dependencies for the resource at all (the SDK sends a list for every input, so an empty map
   * means a state without them) and the value is unknown, by a plain dependency on that bucket if
   * it is the only bucket `from` depends on (with two, a plain dependency says nothing about which).
   */
  refersTo(from: Node, prop: string, value: Plain | undefined, bucket: Node): boolean {
    const propDeps = from.resource.propertyDependencies[prop] as PolicyResource[] | undefined;
    if (propDeps?.includes(bucket.resource)) {
      return true;
    }
    const known = str(value);
    if (known !== undefined && bucketIdentifiers(bucket).has(known)) {
      return true;
    }
    if (Object.keys(from.resource.propertyDependencies).length > 0 || !isUnknown(value)) {
      return false;
    }
    const bucketDeps = from.resource.dependencies.filter((d) => isOneOf(d.type, BUCKET));
    return bucketDeps.length === 1 && bucketDeps[0] === bucket.resource;
  }

  /** Buckets the distribution's origins point at. */
  originBuckets(distribution: Node): Node[] {
    const origins = distribution.props.origins;
    const values: Plain[] = isUnknown(origins)
      ? [UNKNOWN]
      : arr(origins).map((o) => obj(o)?.domainName ?? null);
    return unique(values.flatMap((v) => this.bucketsReferredTo(distribution, "origins", v)));
  }

  /** Buckets the distribution's standard logs go to (empty when logging is off or untraceable). */
  logTargets(distribution: Node): Node[] {
    const logging = obj(distribution.props.loggingConfig);
    if (!logging) {
      return [];
    }
    return this.bucketsReferredTo(distribution, "loggingConfig", logging.bucket);
  }

  /**
   * Whether input `prop` of `from` refers to the resource `to`: by property dependency, or by a
   * known value equal to one of `to`'s known identifiers (its arn, name or id).
   */
  refersToNode(from: Node, prop: string, to: Node): boolean {
    const propDeps = from.resource.propertyDependencies[prop] as PolicyResource[] | undefined;
    if (propDeps?.includes(to.resource)) {
      return true;
    }
    const known = str(from.props[prop]);
    return known !== undefined && ["arn", "name", "id"].some((k) => str(to.props[k]) === known);
  }

  /** v2 delivery sources whose `resourceArn` is the distribution. */
  deliverySourcesOf(distribution: Node): Node[] {
    return this.ofType(LOG_DELIVERY_SOURCE).filter((s) => this.refersToNode(s, "resourceArn", distribution));
  }

  /** Deliveries that read from `source`. */
  deliveriesFrom(source: Node): Node[] {
    return this.ofType(LOG_DELIVERY).filter((d) => this.refersToNode(d, "deliverySourceName", source));
  }

  /** The destinations a delivery writes to. */
  destinationsOf(delivery: Node): Node[] {
    return this.ofType(LOG_DELIVERY_DESTINATION).filter((d) =>
      this.refersToNode(delivery, "deliveryDestinationArn", d),
    );
  }

  /** Buckets a delivery destination writes into (its ARN may carry a key prefix after the name). */
  destinationBuckets(destination: Node): Node[] {
    const config = obj(destination.props.deliveryDestinationConfiguration);
    const arn = config?.destinationResourceArn;
    const known = str(arn);
    const bucketArn: Plain = known?.startsWith("arn:aws:s3:::") ? known.split("/")[0] : (arn ?? null);
    return this.bucketsReferredTo(destination, "deliveryDestinationConfiguration", bucketArn);
  }

  /** Buckets the distribution's v2 deliveries write into. */
  v2LogTargets(distribution: Node): Node[] {
    return unique(
      this.deliverySourcesOf(distribution)
        .flatMap((s) => this.deliveriesFrom(s))
        .flatMap((d) => this.destinationsOf(d))
        .flatMap((d) => this.destinationBuckets(d)),
    );
  }

  /** Objects stored in `bucket`. */
  objectsIn(bucket: Node): Node[] {
    return this.attachedTo(bucket, BUCKET_OBJECT);
  }

  /** The AWS region a resource lives in: its own `region` input wins over its provider's. */
  regionOf(bucket: Node): string | Unknown | undefined {
    const own = bucket.props.region;
    if (typeof own === "string" && own !== "") {
      return own;
    }
    const provider = bucket.resource.provider;
    const providerRegion = provider ? plainObject(provider.props).region : undefined;
    if (typeof providerRegion === "string" && providerRegion !== "") {
      return providerRegion;
    }
    return isUnknown(own) || isUnknown(providerRegion) ? UNKNOWN : undefined;
  }

  private findPixelBuckets(): Map<Node, PixelSignal[]> {
    const found = new Map<Node, PixelSignal[]>();
    const add = (b: Node, s: PixelSignal) => {
      const signals = found.get(b) ?? [];
      if (!signals.includes(s)) {
        signals.push(s);
      }
      found.set(b, signals);
    };
    for (const b of this.buckets) {
      if (roleTag(b) === "pixel") {
        add(b, "role tag");
      }
    }
    for (const o of this.ofType(BUCKET_OBJECT)) {
      if (o.props.key === PIXEL_KEY) {
        this.bucketsReferredTo(o, "bucket", o.props.bucket).forEach((b) => add(b, "pixel object"));
      }
    }
    for (const d of this.distributions) {
      this.originBuckets(d).forEach((b) => add(b, "distribution origin"));
    }
    return found;
  }

  private findLogBuckets(): Map<Node, LogSignal[]> {
    const found = new Map<Node, LogSignal[]>();
    for (const b of this.buckets) {
      if (roleTag(b) === "logs") {
        found.set(b, ["role tag"]);
      }
    }
    const add = (b: Node, s: LogSignal) => {
      const signals = found.get(b) ?? [];
      if (!signals.includes(s)) {
        signals.push(s);
      }
      found.set(b, signals);
    };
    for (const d of this.distributions) {
      this.logTargets(d).forEach((b) => add(b, "distribution logging"));
    }
    for (const d of this.ofType(LOG_DELIVERY_DESTINATION)) {
      this.destinationBuckets(d).forEach((b) => add(b, "v2 delivery"));
    }
    return found;
  }
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function roleTag(bucket: Node): string | undefined {
  return str(obj(bucket.props.tags)?.[ROLE_TAG]) ?? str(obj(bucket.props.tagsAll)?.[ROLE_TAG]);
}

/** Every known string by which another resource may name this bucket. */
export function bucketIdentifiers(bucket: Node): Set<string> {
  const ids = new Set<string>();
  const p = bucket.props;
  for (const key of ["bucket", "id", "arn", "bucketDomainName", "bucketRegionalDomainName"]) {
    const v = str(p[key]);
    if (v) {
      ids.add(v);
    }
  }
  const name = str(p.bucket) ?? str(p.id);
  if (name) {
    ids.add(`${name}.s3.amazonaws.com`);
    const region = str(p.region);
    if (region) {
      ids.add(`${name}.s3.${region}.amazonaws.com`);
    }
  }
  return ids;
}

/** A short, human name for messages: the logical name and the type's last segment. */
export function label(n: Node): string {
  const kind = n.type.split(":").pop() ?? n.type;
  return `${kind} "${n.name}"`;
}
