// ?page= from the URL: anything odd ("abc", "-3", "1e99") means the first page.
export function pageNumber(raw: string | null): number {
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}
