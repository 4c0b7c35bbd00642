import { useRouteLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
// A type only: the root module is not bundled twice.
import type { loader as rootLoader } from "~/root";

const fallbackLocale = "en";
const week = 7 * 24 * 60 * 60 * 1000;

// The reader's first supported language from an Accept-Language header, by weight.
// Only the first few entries are read: the header is the client's to make as long as it likes.
export function localeFromAcceptLanguage(header: string | null): string {
  if (!header) return fallbackLocale;
  const ranked = header
    .split(",")
    .slice(0, 12)
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), weight: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(entry.tag) && entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of ranked) {
    try {
      const [supported] = Intl.DateTimeFormat.supportedLocalesOf(tag);
      if (supported) return supported;
    } catch {
      // A tag Intl cannot parse is skipped like an unsupported one.
    }
  }
  return fallbackLocale;
}

function useLocale(): string {
  return useRouteLoaderData<typeof rootLoader>("root")?.locale ?? fallbackLocale;
}

// A saved time zone is known to the server, so both renders use it. Without one the server renders in UTC,
// and after hydration the browser's own zone takes over (in an effect, so the first client render matches
// the server's HTML).
function useTimeZone(): string | undefined {
  const saved = useRouteLoaderData<typeof rootLoader>("root")?.timeZone ?? null;
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  if (saved) return saved;
  return hydrated ? undefined : "UTC";
}

// Building an Intl formatter costs far more than formatting with it (an ask page with 50 comments
// spent a third of its server time building them), and a page uses a handful: each is built once
// per locale, time zone and style.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat>();

function formatter<F extends Intl.DateTimeFormat | Intl.RelativeTimeFormat>(key: string, build: () => F): F {
  let kept = formatters.get(key);
  if (!kept) {
    kept = build();
    // Readers bring their own locales and zones; a bounded map cannot be grown without end by them.
    if (formatters.size >= 500) formatters.clear();
    formatters.set(key, kept);
  }
  return kept as F;
}

export function formatDateTime(date: Date, locale: string, timeZone: string | undefined): string {
  return formatter(
    `exact ${locale} ${timeZone}`,
    () =>
      new Intl.DateTimeFormat(locale, {
        year: "numeric",
        month: "long",
        day: "numeric",
        hour: "numeric",
        minute: "2-digit",
        timeZone,
        timeZoneName: "short",
      }),
  ).format(date);
}

export function formatShortDate(date: Date, locale: string, timeZone: string | undefined): string {
  return formatter(
    `short ${locale} ${timeZone}`,
    () => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone }),
  ).format(date);
}

// "3 days ago" in the largest whole unit, or null when the moment is a week or more away.
export function formatRelative(date: Date, now: number, locale: string): string | null {
  const diff = date.getTime() - now;
  if (Math.abs(diff) >= week) return null;
  const format = formatter(`relative ${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: "auto" }));
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["day", 24 * 60 * 60 * 1000],
    ["hour", 60 * 60 * 1000],
    ["minute", 60 * 1000],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(diff) >= size) return format.format(Math.trunc(diff / size), unit);
  }
  return format.format(0, "minute");
}

// A moment (ISO timestamp) in the reader's locale and time zone. `relative` says "3 days ago" for the
// last week, with the exact moment on hover and read out to screen readers.
export function Time({ value, relative = false }: { value: string; relative?: boolean }) {
  const locale = useLocale();
  const timeZone = useTimeZone();
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <time dateTime={value}>{value}</time>;
  const exact = formatDateTime(date, locale, timeZone);
  // Server and first client render may disagree by a minute; the effect above re-renders straight after.
  const recent = relative ? formatRelative(date, Date.now(), locale) : null;
  if (recent === null) {
    return (
      <time dateTime={value} title={exact} suppressHydrationWarning>
        {formatShortDate(date, locale, timeZone)}
      </time>
    );
  }
  return (
    <time dateTime={value} title={exact} suppressHydrationWarning>
      <span aria-hidden="true" suppressHydrationWarning>
        {recent}
      </span>
      <span className="visually-hidden" suppressHydrationWarning>
        {`${recent} (${exact})`}
      </span>
    </time>
  );
}

// A plain day (YYYY-MM-DD) such as a back-dated status change: formatted in UTC, so it never moves to a
// neighbouring day in any reader's time zone.
export function Day({ value }: { value: string }) {
  const locale = useLocale();
  const date = new Date(`${value.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return <time dateTime={value}>{value}</time>;
  return (
    <time dateTime={value.slice(0, 10)}>
      {formatter(`day ${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" })).format(
        date,
      )}
    </time>
  );
}
