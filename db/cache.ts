import { type Db, db, preparedQuery } from "./client";

// Results worth keeping until the data under them changes: `compute` runs again once
// anything is written to the database, by this connection (total_changes) or by
// another process (data_version), or when the result is older than maxAgeMs.
const changesQuery = preparedQuery((database) => database.$client.prepare("SELECT total_changes()").pluck());
const dataVersionQuery = preparedQuery((database) => database.$client.prepare("PRAGMA data_version").pluck());
const keptResults = new WeakMap<Db, Map<string, { stamp: string; at: number; value: unknown }>>();

// Changes whenever anything is written to the database, by any connection of any process.
// Comparable only with earlier stamps of this process.
export function dataStamp(): string {
  return `${changesQuery().get()}:${dataVersionQuery().get()}`;
}

export function keepUntilChange<T>(key: string, maxAgeMs: number, compute: () => T): T {
  const database = db();
  const stamp = dataStamp();
  let kept = keptResults.get(database);
  if (!kept) {
    kept = new Map();
    keptResults.set(database, kept);
  }
  const entry = kept.get(key);
  // A key is only ever kept by the caller that computes it, so its value has that caller's type.
  if (entry && entry.stamp === stamp && Date.now() - entry.at < maxAgeMs) return entry.value as T;
  const value = compute();
  // A handful of keys are in use at a time (filter combinations); never let them pile up.
  if (kept.size > 200) kept.clear();
  kept.set(key, { stamp, at: Date.now(), value });
  return value;
}
