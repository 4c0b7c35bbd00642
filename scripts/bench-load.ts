// Load for the page benchmark (scripts/bench.ts) and the growth run (scripts/bench-growth.ts):
// autocannon at a fixed number of connections, or one request at a time.
import autocannon from "autocannon";

export type Target = {
  path: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  bodies?: string[];
  expect: (status: number) => boolean;
};

export type Run = {
  reqPerSec: number;
  p50: number;
  p99: number;
  requests: number;
  bad: number; // unexpected statuses, errors, timeouts
  codes: Record<string, number>;
  // CPU time of every process of the server during the run and until it settled, per completed request.
  cpuMsPerRequest: number | null;
};

// A p99 past four times the p50 means some visitors wait far longer than the typical one.
export const tailLimit = 4;

export type Combined = Omit<Run, "cpuMsPerRequest"> & {
  cpuMsPerRequest: number | null;
  p99OverP50: number | null;
  tailFlagged: boolean;
  runs: Run[];
};

export async function drive(base: string, target: Target, seconds: number, connections: number): Promise<Run> {
  const result = await autocannon({
    url: `${base}${target.path}`,
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 30,
    ...(target.headers ? { headers: target.headers } : {}),
    ...(target.method ? { method: target.method } : {}),
    ...(target.bodies
      ? { requests: target.bodies.map((body) => ({ method: target.method ?? "GET", body, headers: target.headers })) }
      : {}),
  });
  const codes: Record<string, number> = {};
  let unexpected = 0;
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
    codes[code] = stat.count ?? 0;
    if (!target.expect(Number(code))) unexpected += stat.count ?? 0;
  }
  return {
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    bad: unexpected + result.errors + result.timeouts,
    codes,
    cpuMsPerRequest: null,
  };
}

// One request at a time: what a single visitor waits, without queueing. The times in ms, in
// order, and how many answers had a status the target does not expect.
export async function sequential(
  base: string,
  target: Target,
  count: number,
): Promise<{ times: number[]; unexpected: number }> {
  const times: number[] = [];
  let unexpected = 0;
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const res = await fetch(`${base}${target.path}`, {
      method: target.method ?? "GET",
      redirect: "manual",
      headers: target.headers,
      body: target.bodies?.[i % target.bodies.length],
      signal: AbortSignal.timeout(60_000),
    });
    await res.arrayBuffer();
    if (!target.expect(res.status)) unexpected++;
    times.push(performance.now() - started);
  }
  return { times: times.sort((a, b) => a - b), unexpected };
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export function combine(runs: Run[]): Combined {
  const mean = (f: (r: Run) => number) => runs.reduce((s, r) => s + f(r), 0) / runs.length;
  const codes: Record<string, number> = {};
  for (const r of runs) for (const [c, n] of Object.entries(r.codes)) codes[c] = (codes[c] ?? 0) + n;
  const requests = runs.reduce((s, r) => s + r.requests, 0);
  const measuredCpu = runs.every((r) => r.cpuMsPerRequest !== null);
  const p50 = mean((r) => r.p50);
  const p99 = Math.max(...runs.map((r) => r.p99));
  const p99OverP50 = p50 > 0 ? p99 / p50 : null;
  return {
    reqPerSec: mean((r) => r.reqPerSec),
    p50,
    p99,
    p99OverP50,
    tailFlagged: p99OverP50 !== null && p99OverP50 > tailLimit,
    requests,
    bad: runs.reduce((s, r) => s + r.bad, 0),
    codes,
    cpuMsPerRequest:
      measuredCpu && requests > 0
        ? runs.reduce((s, r) => s + (r.cpuMsPerRequest ?? 0) * r.requests, 0) / requests
        : null,
    runs,
  };
}
