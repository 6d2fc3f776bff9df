/**
 * Timestamps as Athena prints a timestamp(3): `YYYY-MM-DD HH:MM:SS.mmm`, UTC. The export writes
 * three of them for every event, and `new Date(ms).toISOString()` with two replaces cost it a
 * twentieth of its time; this computes the same text from the numbers, and keeps the text of the
 * last day (an event's three timestamps nearly always share it, and so do a file's events).
 * Whatever the fast paths do not cover goes through Date, so the text is Date's in every case
 * (test/logs/canonicalTimestamp.spec.ts holds both to it).
 */

const MS_PER_DAY = 86_400_000;
/** 9999-12-31 23:59:59.999: past it toISOString prints a six-digit year, which Trino has not. */
export const LAST_TIMESTAMP_MILLIS = 253_402_300_799_999;

const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, "0"));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, "0"));

let lastDay = NaN;
let lastDayText = "";

/** `YYYY-MM-DD ` of a day since 1970-01-01 (days ≥ 0): Howard Hinnant's civil_from_days. */
function dayText(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, "0")}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]} `;
}

/** `YYYY-MM-DD HH:MM:SS.mmm`, UTC: Athena's text for a timestamp(3). */
export function formatTimestamp(epochMillis: number): string {
  if (!(epochMillis >= 0 && epochMillis <= LAST_TIMESTAMP_MILLIS && Number.isInteger(epochMillis))) {
    return new Date(epochMillis).toISOString().replace("T", " ").replace("Z", "");
  }
  const days = Math.floor(epochMillis / MS_PER_DAY);
  if (days !== lastDay) {
    lastDayText = dayText(days);
    lastDay = days;
  }
  let rest = epochMillis - days * MS_PER_DAY;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  return `${lastDayText}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[millis]}`;
}

const LOG_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const LOG_TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$/;

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/**
 * When the edge served the request, from the log's `date` and `time` (whole seconds, UTC), or
 * null when they do not make a time. A real date and time read as they are: Date would print them
 * back unchanged. Anything else (`24:00:00`, `2024-02-30`, which Date rolls over) goes through it.
 */
export function requestTimestamp(date: string, time: string): string | null {
  const d = LOG_DATE.exec(date);
  if (d !== null && LOG_TIME.test(time)) {
    const year = Number(d[1]);
    const month = Number(d[2]);
    const day = Number(d[3]);
    if (month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)) {
      return `${date} ${time}.000`;
    }
  }
  const millis = Date.parse(`${date}T${time}Z`);
  return Number.isNaN(millis) ? null : formatTimestamp(millis);
}
