import { describe, expect, it } from "vitest";
import { digestDue, lastDigestTime } from "~/digest-schedule";

const last = (now: string, timeZone: string | null, hour: number, weekday?: number) =>
  lastDigestTime(new Date(now), { timeZone, hour, weekday }).toISOString();

describe("the last digest time", () => {
  it("is today's hour once it has passed, else yesterday's, in UTC without a zone", () => {
    expect(last("2030-01-10T08:30:00Z", null, 8)).toBe("2030-01-10T08:00:00.000Z");
    expect(last("2030-01-10T08:00:00Z", null, 8)).toBe("2030-01-10T08:00:00.000Z");
    expect(last("2030-01-10T07:59:00Z", null, 8)).toBe("2030-01-09T08:00:00.000Z");
  });

  it("is the hour on the person's own clock, east and west of UTC", () => {
    expect(last("2030-01-10T08:30:00Z", "Asia/Kolkata", 8)).toBe("2030-01-10T02:30:00.000Z");
    expect(last("2030-01-10T08:30:00Z", "America/Los_Angeles", 8)).toBe("2030-01-09T16:00:00.000Z");
    // 11:30 UTC on the 10th is 00:30 on the 11th in Auckland, whose last 08:00 was that morning of the 10th.
    expect(last("2030-01-10T11:30:00Z", "Pacific/Auckland", 8)).toBe("2030-01-09T19:00:00.000Z");
  });

  it("keeps the local hour across a daylight-saving change", () => {
    // New York moves its clocks forward on 10 March 2030: 08:00 is 13:00 UTC the day before, 12:00 UTC that day.
    expect(last("2030-03-10T12:30:00Z", "America/New_York", 8)).toBe("2030-03-10T12:00:00.000Z");
    expect(last("2030-03-10T11:59:00Z", "America/New_York", 8)).toBe("2030-03-09T13:00:00.000Z");
    // And back on 3 November: 08:00 EDT (12:00 UTC) on the 2nd, 08:00 EST (13:00 UTC) on the 3rd.
    expect(last("2030-11-03T12:30:00Z", "America/New_York", 8)).toBe("2030-11-02T12:00:00.000Z");
    expect(last("2030-11-03T13:00:00Z", "America/New_York", 8)).toBe("2030-11-03T13:00:00.000Z");
  });

  it("puts an hour the clocks skip just after the jump, and an hour shown twice at its first time", () => {
    // 02:00 does not exist in New York on 10 March 2030 (02:00 EST becomes 03:00 EDT at 07:00 UTC).
    expect(last("2030-03-10T12:00:00Z", "America/New_York", 2)).toBe("2030-03-10T07:00:00.000Z");
    // Nor in Berlin on 31 March 2030 (02:00 CET becomes 03:00 CEST at 01:00 UTC).
    expect(last("2030-03-31T12:00:00Z", "Europe/Berlin", 2)).toBe("2030-03-31T01:00:00.000Z");
    // 01:00 happens twice in New York on 3 November 2030: first at 05:00 UTC.
    expect(last("2030-11-03T12:00:00Z", "America/New_York", 1)).toBe("2030-11-03T05:00:00.000Z");
  });

  it("is on the chosen weekday for a weekly digest, counted on the person's calendar", () => {
    // 10 January 2030 is a Thursday; the last Monday 08:00 in UTC is the 7th.
    expect(last("2030-01-10T12:00:00Z", null, 8, 1)).toBe("2030-01-07T08:00:00.000Z");
    // On Monday the 7th before 08:00 it is the Monday before.
    expect(last("2030-01-07T07:00:00Z", null, 8, 1)).toBe("2029-12-31T08:00:00.000Z");
    // In Auckland (UTC+13 in January) Monday 08:00 on the 7th is Sunday 19:00 UTC.
    expect(last("2030-01-06T19:30:00Z", "Pacific/Auckland", 8, 1)).toBe("2030-01-06T19:00:00.000Z");
    // Sunday (0) in Los Angeles, on a Sunday evening there that is Monday in UTC.
    expect(last("2030-01-07T05:00:00Z", "America/Los_Angeles", 20, 0)).toBe("2030-01-07T04:00:00.000Z");
  });
});

describe("a digest", () => {
  const daily = { timeZone: "Europe/Berlin", hour: 8 };

  it("is due once a digest time has passed since the oldest waiting event", () => {
    // 08:00 in Berlin in January is 07:00 UTC.
    expect(digestDue(new Date("2030-01-10T07:30:00Z"), new Date("2030-01-10T06:00:00Z"), daily)).toBe(true);
    expect(digestDue(new Date("2030-01-10T06:59:00Z"), new Date("2030-01-10T06:00:00Z"), daily)).toBe(false);
  });

  it("waits for the next day for an event that arrives after the digest hour", () => {
    const arrived = new Date("2030-01-10T07:30:00Z");
    expect(digestDue(new Date("2030-01-10T20:00:00Z"), arrived, daily)).toBe(false);
    expect(digestDue(new Date("2030-01-11T06:59:00Z"), arrived, daily)).toBe(false);
    expect(digestDue(new Date("2030-01-11T07:00:00Z"), arrived, daily)).toBe(true);
  });

  it("weekly waits for the weekday", () => {
    const weekly = { timeZone: null, hour: 8, weekday: 1 };
    const arrived = new Date("2030-01-08T09:00:00Z");
    expect(digestDue(new Date("2030-01-13T23:00:00Z"), arrived, weekly)).toBe(false);
    expect(digestDue(new Date("2030-01-14T08:00:00Z"), arrived, weekly)).toBe(true);
  });
});
