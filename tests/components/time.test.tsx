import { createRemixStub } from "@remix-run/testing";
import { render, screen } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";
import { Day, formatRelative, localeFromAcceptLanguage, Time } from "~/components/time";

// The element under test, rendered inside a stand-in root route that supplies the locale.
let shown: ReactNode = null;
function Shown() {
  return <>{shown}</>;
}

function renderInRoot(element: ReactNode, locale = "en-GB", timeZone: string | null = null) {
  shown = element;
  const Stub = createRemixStub([{ id: "root", path: "/", loader: () => ({ locale, timeZone }), Component: Shown }]);
  render(<Stub />);
}

describe("localeFromAcceptLanguage", () => {
  it("takes the highest-weighted supported language", () => {
    expect(localeFromAcceptLanguage("fr;q=0.5, de-DE, en;q=0.8")).toBe("de-DE");
  });
  it("falls back to English without a usable header", () => {
    expect(localeFromAcceptLanguage(null)).toBe("en");
    expect(localeFromAcceptLanguage("*, <script>")).toBe("en");
  });
});

describe("formatRelative", () => {
  const now = Date.parse("2026-03-10T12:00:00Z");
  it("names recent moments in whole units", () => {
    expect(formatRelative(new Date("2026-03-07T12:00:00Z"), now, "en")).toBe("3 days ago");
    expect(formatRelative(new Date("2026-03-10T09:30:00Z"), now, "en")).toBe("2 hours ago");
  });
  it("gives up at a week", () => {
    expect(formatRelative(new Date("2026-03-03T12:00:00Z"), now, "en")).toBeNull();
  });
});

describe("Time", () => {
  it("shows an old moment as a date in the reader's locale, machine-readable", async () => {
    renderInRoot(<Time value="2021-04-27T10:00:00.000Z" />, "de-DE");
    const time = await screen.findByText("27.04.2021");
    expect(time.tagName).toBe("TIME");
    expect(time).toHaveAttribute("dateTime", "2021-04-27T10:00:00.000Z");
    expect(time.getAttribute("title")).toContain("2021");
  });
  it("shows a moment in the reader's saved time zone, even after hydration", async () => {
    // Late on the 27th in UTC is already the 28th in Auckland.
    renderInRoot(<Time value="2021-04-27T23:30:00.000Z" />, "en-GB", "Pacific/Auckland");
    const time = await screen.findByText("28 Apr 2021");
    expect(time.getAttribute("title")).toContain("11:30");
  });
  it("says how long ago a recent moment was, with the exact moment for screen readers", async () => {
    const value = new Date(Date.now() - 3 * 24 * 60 * 60 * 1000 - 60_000).toISOString();
    renderInRoot(<Time value={value} relative />);
    const shown = await screen.findByText("3 days ago");
    const time = shown.closest("time");
    expect(time).toHaveAttribute("dateTime", value);
    expect(time?.textContent).toContain(`3 days ago (${time?.getAttribute("title")})`);
  });
});

describe("Day", () => {
  it("shows a plain day that no time zone shifts", async () => {
    renderInRoot(<Day value="2021-04-27" />);
    const day = await screen.findByText("27 April 2021");
    expect(day).toHaveAttribute("dateTime", "2021-04-27");
  });
});
