import * as assert from "assert";
import { formatAccessLog, formatV2JsonLog, pixelHitRow } from "../../logs/accessLogFormat";
import { listingOf, pollForEvent, PollOptions, startAfterKey } from "../../logs/logBucketPoller";
import { FIELD_SETS } from "../../collector/eventLogs/logFields";
import { v2KeyPrefix } from "../../collector/eventLogs/logLayout";
import { encodeTrackerQuery } from "../../logs/trackerEvent";
import { LocalS3, startLocalS3 } from "../support/localS3";

const BUCKET = "collector-logs";
const PREFIX = "cloudfront/prod/";
const DIST = "E2EXAMPLE1234";
const EID = "9d4c2f0a-1b3e-4c5d-8e7f-0a1b2c3d4e5f";

function logKey(hour: Date, unique: string): string {
  return `${PREFIX}${DIST}.${hour.toISOString().slice(0, 13).replace("T", "-")}.${unique}.gz`;
}

function logWith(eventId: string, extra: Record<string, string> = {}): string {
  return formatAccessLog([
    pixelHitRow(encodeTrackerQuery({ e: "pv", eid: "someone-else" })),
    pixelHitRow(encodeTrackerQuery({ e: "pv", eid: eventId, page: "Verify page", ...extra })),
  ]);
}

describe("log bucket poller (against a local S3-compatible server)", () => {
  let s3: LocalS3;
  const since = new Date();
  before(async () => (s3 = await startLocalS3(BUCKET)));
  after(async () => await s3.close());

  function options(overrides: Partial<PollOptions> = {}): PollOptions {
    return {
      client: s3.client,
      bucket: BUCKET,
      prefix: PREFIX,
      distributionId: DIST,
      eventId: EID,
      since,
      timeoutMs: 3000,
      intervalMs: 50,
      ...overrides,
    };
  }

  it("starts listing at the hour before the start time", () => {
    assert.strictEqual(startAfterKey("p/", "E1", new Date("2024-05-17T10:30:00Z")), "p/E1.2024-05-17-09");
  });

  it("finds the event in a file delivered while it waits, reading each file once and old files never", async () => {
    // An old file holding the same id (an earlier run) and another distribution's file: neither is read.
    await s3.putLog(BUCKET, logKey(new Date(since.getTime() - 3 * 3_600_000), "old"), logWith(EID));
    await s3.putLog(
      BUCKET,
      `${PREFIX}E2OTHER.${since.toISOString().slice(0, 13).replace("T", "-")}.x.gz`,
      logWith(EID),
    );
    await s3.putLog(BUCKET, logKey(since, "first"), logWith("not-yet"));
    s3.commands.length = 0;
    const polls: string[] = [];
    const delivery = new Promise<void>((resolve) =>
      setTimeout(
        () =>
          void s3
            .putLog(BUCKET, logKey(since, "second"), logWith(EID, { url: "https://a b/" }))
            .then(resolve),
        300,
      ),
    );
    const result = await pollForEvent(options({ onProgress: (message) => polls.push(message) }));
    await delivery;
    assert.ok(result.found, JSON.stringify(result));
    assert.strictEqual(result.key, logKey(since, "second"));
    assert.strictEqual(result.lines, 1);
    assert.strictEqual(result.event.line, 4);
    assert.strictEqual(result.event.params.url, "https://a b/");
    assert.ok(polls.length >= 2, "it polled more than once");
    const gets = s3.commands.filter((name) => name === "GetObjectCommand").length;
    assert.strictEqual(gets, 2, `read each new file once: ${s3.commands.join(", ")}`);
  });

  it("gives up at the timeout, saying which files it read and what was wrong with them", async () => {
    await s3.putObject(BUCKET, logKey(since, "broken"), Buffer.from([0x1f, 0x8b, 0x08, 0x00]));
    const result = await pollForEvent(options({ eventId: "never-sent", timeoutMs: 200, intervalMs: 50 }));
    assert.strictEqual(result.found, false);
    assert.ok(!result.found && result.filesRead >= 3);
    assert.match(
      !result.found ? result.problems.join("\n") : "",
      /broken\.gz: gzip data is corrupt or truncated/,
    );
  });

  it("without a distribution id, skips files written well before the start time", async () => {
    const result = await pollForEvent(
      options({ distributionId: undefined, since: new Date(Date.now() + 2 * 3_600_000), timeoutMs: 100 }),
    );
    assert.deepStrictEqual(result, { found: false, filesRead: 0, problems: [] });
  });

  describe("in v2 mode (Hive-partitioned paths, JSON)", () => {
    const v2Key = (hour: Date, unique: string) =>
      `${v2KeyPrefix(PREFIX, { distributionId: DIST, time: hour })}${DIST}.${unique}`;
    const v2Log = (eventId: string) =>
      formatV2JsonLog(
        [
          pixelHitRow(encodeTrackerQuery({ e: "pv", eid: "someone-else" })),
          pixelHitRow(encodeTrackerQuery({ e: "pv", eid: eventId, page: "Verify page" })),
        ],
        FIELD_SETS.privacy,
      );

    it("lists one distribution's partitions from the hour before the start time", () => {
      const since = new Date("2026-11-30T10:30:00Z");
      assert.deepStrictEqual(listingOf({ prefix: "p/", distributionId: "E1", since, mode: "v2" }), {
        prefix: "p/distributionid=E1/",
        startAfter: "p/distributionid=E1/year=2026/month=11/day=30/hour=09/",
      });
      // Every key of that hour or later sorts after it; the hour before does not.
      assert.ok(
        `p/distributionid=E1/year=2026/month=11/day=30/hour=09/x` >
          "p/distributionid=E1/year=2026/month=11/day=30/hour=09/",
      );
      assert.ok(
        `p/distributionid=E1/year=2026/month=11/day=30/hour=08/x` <
          "p/distributionid=E1/year=2026/month=11/day=30/hour=09/",
      );
    });

    it("finds the event in a gzip JSON file under this hour's partition, whatever its name, and skips older hours", async () => {
      const now = new Date();
      await s3.putLog(BUCKET, v2Key(new Date(now.getTime() - 3 * 3_600_000), "old.gz"), v2Log(EID));
      await s3.putLog(BUCKET, v2Key(now, "a1b2c3"), v2Log(EID));
      s3.commands.length = 0;
      const result = await pollForEvent(options({ mode: "v2", since: now }));
      assert.ok(result.found, JSON.stringify(result));
      assert.strictEqual(result.key, v2Key(now, "a1b2c3"));
      assert.strictEqual(result.event.params.page, "Verify page");
      assert.strictEqual(s3.commands.filter((c) => c === "GetObjectCommand").length, 1, "old hour not read");
    });
  });
});
