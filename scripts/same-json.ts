// Before the bench measures an API row it checks that Asklog and the baseline answer alike, so
// the ratio compares like with like: the same fields in the same order, and the same asks (and,
// for one ask, the same status updates and comments).

// Every field's path in the order the JSON lists them, array positions folded into "[]".
export function keyPaths(value: unknown, prefix = "", into: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) keyPaths(item, `${prefix}[]`, into);
  } else if (typeof value === "object" && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (!into.includes(path)) into.push(path);
      keyPaths(inner, path, into);
    }
  }
  return into;
}

// The ask numbers a list or one ask answers with, and the ids of one ask's history and thread.
export function identities(value: unknown): Record<string, unknown[]> {
  const json = (value ?? {}) as {
    asks?: { number?: unknown }[];
    number?: unknown;
    statusUpdates?: { id?: unknown }[];
    comments?: { id?: unknown }[];
  };
  if (Array.isArray(json.asks)) return { asks: json.asks.map((a) => a.number) };
  return {
    ask: [json.number],
    statusUpdates: (json.statusUpdates ?? []).map((u) => u.id),
    comments: (json.comments ?? []).map((c) => c.id),
  };
}

// What differs between the two answers, in sentences; empty when they match.
export function jsonMismatches(asklog: unknown, baseline: unknown): string[] {
  const problems: string[] = [];
  const [a, b] = [keyPaths(asklog), keyPaths(baseline)];
  if (a.join() !== b.join()) {
    const missing = a.filter((k) => !b.includes(k));
    const extra = b.filter((k) => !a.includes(k));
    problems.push(
      missing.length || extra.length
        ? `fields only Asklog has: ${missing.join(", ") || "none"}; only the baseline has: ${extra.join(", ") || "none"}`
        : `the same fields in another order: Asklog ${a.join(", ")}; baseline ${b.join(", ")}`,
    );
  }
  const [ia, ib] = [identities(asklog), identities(baseline)];
  for (const [name, ids] of Object.entries(ia)) {
    const other = ib[name] ?? [];
    if (JSON.stringify(ids) !== JSON.stringify(other)) {
      problems.push(`${name}: Asklog ${JSON.stringify(ids)}, baseline ${JSON.stringify(other)}`);
    }
  }
  return problems;
}

// Values that differ once each server's own origin is taken out of the URLs: not a reason to
// stop the run (the fields and rows match), but worth a line in the log.
export function valueDifferences(asklog: unknown, baseline: unknown, origins: [string, string]): string[] {
  const differences: string[] = [];
  const walk = (x: unknown, y: unknown, path: string) => {
    if (typeof x === "object" && x !== null && typeof y === "object" && y !== null) {
      for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) {
        walk((x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key], `${path}.${key}`);
      }
      return;
    }
    const plain = (v: unknown, origin: string) => (typeof v === "string" ? v.replaceAll(origin, "") : v);
    if (JSON.stringify(plain(x, origins[0])) !== JSON.stringify(plain(y, origins[1]))) {
      differences.push(
        `${path.slice(1)}: Asklog ${JSON.stringify(x)?.slice(0, 80)}, baseline ${JSON.stringify(y)?.slice(0, 80)}`,
      );
    }
  };
  walk(asklog, baseline, "");
  return differences;
}
