// Dates are shown as YYYY-MM-DD, as in the status history: unambiguous for a
// partner community spread over many locales.
export function formatDate(iso: string): string {
  return iso.slice(0, 10);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
