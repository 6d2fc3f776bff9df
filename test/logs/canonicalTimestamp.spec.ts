/**
 * The export's timestamps computed from numbers must be Date's text exactly: every day of four
 * years (leap, common, century, 400-year), the edges of the range, and a spread of instants.
 */
import * as assert from "assert";
import { formatTimestamp, LAST_TIMESTAMP_MILLIS, requestTimestamp } from "../../logs/canonicalTimestamp";

const byDate = (millis: number): string => new Date(millis).toISOString().replace("T", " ").replace("Z", "");
const DAY = 86_400_000;

/** What the view's reading of `date` and `time` gives, through Date alone. */
function byDateParse(date: string, time: string): string | null {
  const millis = Date.parse(`${date}T${time}Z`);
  return Number.isNaN(millis) ? null : byDate(millis);
}

describe("canonical timestamps", () => {
  it("formats every day of 1970, 2000, 2023, 2024 and 2100 as Date does, at each day's edges", () => {
    for (const year of [1970, 2000, 2023, 2024, 2100]) {
      const first = Date.UTC(year, 0, 1);
      for (let day = first; day < Date.UTC(year + 1, 0, 1); day += DAY) {
        for (const at of [day, day + 1, day + DAY - 1, day + 12 * 3_600_000 + 34 * 60_000 + 56_789]) {
          assert.strictEqual(formatTimestamp(at), byDate(at), String(at));
        }
      }
    }
  });

  it("formats the range's edges and a spread of instants as Date does, and falls back to it outside", () => {
    const instants = [0, 1, 999, 1000, 1715940942001, LAST_TIMESTAMP_MILLIS, LAST_TIMESTAMP_MILLIS - 1];
    for (let i = 0; i < 5000; i++) instants.push(Math.floor((i / 5000) * LAST_TIMESTAMP_MILLIS) + i);
    for (const at of instants) assert.strictEqual(formatTimestamp(at), byDate(at), String(at));
    // Outside what the fast path covers, Date's own text, whatever it is.
    for (const at of [-1, -62167219200000, LAST_TIMESTAMP_MILLIS + 1, 1.5]) {
      assert.strictEqual(formatTimestamp(at), byDate(at), String(at));
    }
    assert.throws(() => formatTimestamp(NaN), RangeError);
  });

  it("reads a log's date and time as Date.parse does, rolled-over and impossible ones included", () => {
    const dates = ["2024-05-17", "2024-02-29", "2023-02-29", "2024-02-30", "2024-04-31", "2024-12-31"];
    dates.push("2100-02-29", "2000-02-29", "0000-01-01", "9999-12-31", "2024-13-01", "2024-00-10");
    dates.push("2024-05-00", "2024-5-17", "17/05/2024", "", "-");
    const times = ["10:15:42", "00:00:00", "23:59:59", "24:00:00", "23:59:60", "10:60:00", "1:2:3", "10:15"];
    times.push("10:15:42.5", "", "-");
    for (const date of dates) {
      for (const time of times) {
        assert.strictEqual(requestTimestamp(date, time), byDateParse(date, time), `${date} ${time}`);
      }
    }
    for (let day = Date.UTC(2023, 11, 1); day < Date.UTC(2025, 2, 1); day += DAY) {
      const date = new Date(day).toISOString().slice(0, 10);
      assert.strictEqual(requestTimestamp(date, "10:15:42"), `${date} 10:15:42.000`);
    }
  });
});
