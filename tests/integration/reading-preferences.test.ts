import { describe, expect, it } from "vitest";
import { setReadingPreferences } from "~/models/user.server";
import * as root from "~/root";
import { readingPreferencesSchema } from "~/validation/reading-preferences";
import { cookieFor, makeUser, replyData, route } from "./helpers";

const home = route(root, "/");
type RootData = Awaited<ReturnType<typeof root.loader>>["data"];

// What the root loader gives every page, for a reader with that cookie (or a visitor).
async function rootData(cookie?: string): Promise<RootData> {
  return replyData<RootData>(await home.load(cookie));
}

describe("reading preferences", () => {
  it("are what the root loader gives every page once saved, so dates render in them on the server", async () => {
    const user = await makeUser();
    const cookie = await cookieFor(user);
    const before = await rootData(cookie);
    expect(before.locale).toBe("en");
    expect(before.timeZone).toBeNull();

    expect(setReadingPreferences({ userId: user.id, locale: "de-de", timeZone: "Pacific/Auckland" })).toEqual({
      ok: true,
    });
    const after = await rootData(cookie);
    expect(after.locale).toBe("de-DE");
    expect(after.timeZone).toBe("Pacific/Auckland");

    // Cleared, they follow the browser again.
    setReadingPreferences({ userId: user.id, locale: null, timeZone: null });
    const cleared = await rootData(cookie);
    expect([cleared.locale, cleared.timeZone]).toEqual(["en", null]);
  });

  it("belong to the signed-in reader only", async () => {
    const user = await makeUser();
    setReadingPreferences({ userId: user.id, locale: "fr", timeZone: "Europe/Paris" });
    const visitor = await rootData();
    expect([visitor.locale, visitor.timeZone]).toEqual(["en", null]);
  });

  it("refuse a language or time zone Intl does not know, and keep what was saved", async () => {
    const user = await makeUser();
    setReadingPreferences({ userId: user.id, locale: "fr", timeZone: "Europe/Paris" });
    expect(setReadingPreferences({ userId: user.id, locale: "not a tag", timeZone: null })).toEqual({
      ok: false,
      reason: "bad-locale",
    });
    expect(setReadingPreferences({ userId: user.id, locale: "zz", timeZone: null })).toMatchObject({
      reason: "bad-locale",
    });
    expect(setReadingPreferences({ userId: user.id, locale: "fr", timeZone: "Nowhere/Land" })).toMatchObject({
      reason: "bad-time-zone",
    });
    expect(setReadingPreferences({ userId: 0, locale: "fr", timeZone: "UTC" })).toMatchObject({
      reason: "not-found",
    });
    const saved = await rootData(await cookieFor(user));
    expect([saved.locale, saved.timeZone]).toEqual(["fr", "Europe/Paris"]);
  });

  it("are parsed from a form by one schema: empty means follow the browser", () => {
    expect(readingPreferencesSchema.parse({ locale: " en-GB ", timeZone: "" })).toEqual({
      locale: "en-GB",
      timeZone: null,
    });
    const bad = readingPreferencesSchema.safeParse({ locale: "zz", timeZone: "Nowhere/Land" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path[0])).toEqual(["locale", "timeZone"]);
  });
});
