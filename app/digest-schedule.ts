// When digests go out: at the hour a person picked, in their own time zone (and on their
// weekday, for weekly ones). Plain functions, so the account page can show the next time too.

type Local = { year: number; month: number; day: number };

const partsFormat = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = partsFormat.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    partsFormat.set(timeZone, format);
  }
  return format;
}

function wallClock(at: number, timeZone: string) {
  const parts: Record<string, number> = {};
  for (const p of formatFor(timeZone).formatToParts(at)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

// How far the zone's clock is ahead of UTC at an instant, in milliseconds.
function offsetAt(at: number, timeZone: string): number {
  const w = wallClock(at, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(at / 1000) * 1000;
}

// The instant the zone's clock shows `hour`:00 on a local day. The offsets a day either side
// are the two a daylight-saving change can be between: an hour shown twice (clocks back) is
// its first time, and an hour that does not exist (clocks forward) lands just after the jump,
// east or west of UTC alike.
function instantOf(local: Local, hour: number, timeZone: string): number {
  const guess = Date.UTC(local.year, local.month - 1, local.day, hour);
  const before = guess - offsetAt(guess - 86_400_000, timeZone);
  const after = guess - offsetAt(guess + 86_400_000, timeZone);
  const shows = (at: number) => wallClock(at, timeZone).hour === hour;
  const fits = [before, after].filter(shows).sort((a, b) => a - b);
  return fits[0] ?? before;
}

export type DigestTime = { timeZone: string | null; hour: number; weekday?: number };

// The latest digest time at or before `now`.
export function lastDigestTime(now: Date, { timeZone, hour, weekday }: DigestTime): Date {
  const zone = timeZone ?? "UTC";
  const today = wallClock(now.getTime(), zone);
  for (let back = 0; back <= 8; back++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day - back));
    if (weekday !== undefined && day.getUTCDay() !== weekday) continue;
    const at = instantOf(
      { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() },
      hour,
      zone,
    );
    if (at <= now.getTime()) return new Date(at);
  }
  throw new Error("No digest time in the last eight days");
}

// A digest is due once a digest time has passed since its oldest waiting event: an event that
// arrives at 08:30 for an 08:00 digest waits for tomorrow's.
export function digestDue(now: Date, oldestWaiting: Date, time: DigestTime): boolean {
  return lastDigestTime(now, time).getTime() > oldestWaiting.getTime();
}
