// Values read from URLs (sort, tab, page). They live outside the models so
// the browser bundle can use them too: *.server modules are empty there.
export const askSorts = ["trending", "top", "newest", "updated"] as const;
export type AskSort = (typeof askSorts)[number];

export const myAskTabs = ["filed", "voted", "commented"] as const;
export type MyAskTab = (typeof myAskTabs)[number];

export const pageSize = 20;

// ?page= from the URL: anything odd ("abc", "-3", "1e99") means the first page.
export function pageNumber(raw: string | null): number {
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}
