// A server under benchmark as /proc shows it: the process the bench started and every process
// below it (node:cluster workers), with their CPU time and resident memory.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { childrenOf, rssMiB, sleep } from "./server-process";

export function processTree(pid: number): number[] {
  return [pid, ...childrenOf(pid).flatMap(processTree)];
}

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function cpuTicks(pid: number): number {
  try {
    const fields = (readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1] ?? "").split(" ");
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0;
  }
}

// Kept per process, so a worker started between two readings counts only the time it used since.
export type CpuReading = Map<number, number>;

export function readCpu(root: number): CpuReading {
  return new Map(processTree(root).map((pid) => [pid, cpuTicks(pid)]));
}

export function cpuMsBetween(before: CpuReading, after: CpuReading): number {
  let ticks = 0;
  for (const [pid, now] of after) ticks += now - (before.get(pid) ?? 0);
  return (ticks * 1000) / ticksPerSecond;
}

// A slow page leaves requests queued in the server after the load generator stops (express
// answers a static file in between, so a probe request proves nothing): wait until no
// process of the server uses CPU.
export async function settle(root: number, log: (message: string) => void, limitMs = 120_000): Promise<void> {
  const until = Date.now() + limitMs;
  let before = readCpu(root);
  while (Date.now() < until) {
    await sleep(300);
    const now = readCpu(root);
    if (cpuMsBetween(before, now) <= 10) return; // at most 10 ms of CPU in 300 ms
    before = now;
  }
  log(`server ${root} still busy after ${limitMs} ms`);
}

export type MemorySummary = {
  // The process the bench started: with node:cluster the primary, which forks the workers.
  primaryPeakRssMiB: number | null;
  // The highest peak of any one process of the server, the primary included.
  maxProcessPeakRssMiB: number;
  processes: number;
  peakRssMiBByPid: Record<string, number>;
};

// Peak VmRSS of each process of a server, sampled by the caller's timer.
export class RssPeaks {
  private readonly peaks = new Map<number, number>();

  constructor(readonly root: number) {}

  sample(): void {
    for (const pid of processTree(this.root)) {
      const rss = rssMiB(pid);
      if (rss !== null) this.peaks.set(pid, Math.max(this.peaks.get(pid) ?? 0, rss));
    }
  }

  summary(): MemorySummary {
    const primary = this.peaks.get(this.root);
    return {
      primaryPeakRssMiB: primary === undefined ? null : Math.round(primary),
      maxProcessPeakRssMiB: Math.round(Math.max(0, ...this.peaks.values())),
      processes: this.peaks.size,
      peakRssMiBByPid: Object.fromEntries([...this.peaks].map(([pid, mib]) => [pid, Math.round(mib)])),
    };
  }
}
