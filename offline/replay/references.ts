/**
 * What a resource's inputs point at, read from the engine's property dependencies rather than
 * from values: `bucket: bucket.id` depends on the bucket, whatever its name turns out to be.
 */
import { RecordedResource } from "../mockRun";

export class References {
  private readonly types = new Map<string, string>();

  constructor(...resourceLists: readonly (readonly RecordedResource[])[]) {
    for (const list of resourceLists) for (const r of list) this.types.set(r.urn, r.type);
  }

  /** The URN of the `type` resource the `property` input of `resource` comes from, if any. */
  to(resource: RecordedResource, property: string, type: string): string | undefined {
    return (resource.propertyDependencies[property] ?? []).find((urn) => this.types.get(urn) === type);
  }

  /** Every resource of `type` the `property` input comes from. */
  all(resource: RecordedResource, property: string, type: string): string[] {
    return (resource.propertyDependencies[property] ?? []).filter((urn) => this.types.get(urn) === type);
  }
}
