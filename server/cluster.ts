import cluster, { type Worker } from "node:cluster";

// WEB_CONCURRENCY web processes on one port (node:cluster). The primary, the process `npm start`
// runs, has run the release step before it calls runWebProcesses; from then on it serves
// nothing and holds no database connection. It starts the web processes, replaces one that
// dies, and on SIGTERM or SIGINT has them all finish what they are answering and exit.

// The primary names the one web process that runs the outbox worker in its environment, so a
// process knows its role before it opens anything, and a replacement inherits it.
const outboxRoleVariable = "ASKLOG_OUTBOX_ROLE";

export function hasOutboxRole(): boolean {
  return process.env[outboxRoleVariable] === "1";
}

// A process that exits before it listens, or this soon after it started, failed to start
// rather than failed at work.
const quickExitMs = 10_000;
// How long a stop waits for requests in flight before it kills what is left.
const stragglerMs = 10_000;

// The wait before a replacement starts: none after a process that had been serving, nor after
// one quick exit (a process killed just after it came up); then 1 s, 2 s, 4 s … up to a minute
// while replacements keep dying right after they start, instead of forking in a tight loop.
export function restartDelayMs(quickExitsInARow: number): number {
  if (quickExitsInARow < 2) return 0;
  return Math.min(60_000, 1000 * 2 ** (quickExitsInARow - 2));
}

type Slot = {
  outboxWorker: boolean;
  worker?: Worker;
  startedAt: number;
  listening: boolean;
  quickExits: number;
  timer?: NodeJS.Timeout;
};

function logLine(fields: Record<string, unknown>): void {
  console.error(JSON.stringify({ level: "error", ...fields }));
}

export function runWebProcesses({
  count,
  outboxWorker,
  onListening,
}: {
  count: number;
  // Whether one of the processes runs the outbox worker (OUTBOX_WORKER=inline).
  outboxWorker: boolean;
  // Called once, when every process listens for the first time: the start-up banner.
  onListening: () => void;
}): void {
  const slots: Slot[] = Array.from({ length: count }, (_, i) => ({
    outboxWorker: outboxWorker && i === 0,
    startedAt: 0,
    listening: false,
    quickExits: 0,
  }));
  let served = false;
  let draining = false;

  const start = (slot: Slot) => {
    slot.timer = undefined;
    slot.startedAt = Date.now();
    slot.listening = false;
    slot.worker = cluster.fork({ [outboxRoleVariable]: slot.outboxWorker ? "1" : "0" });
  };
  const slotOf = (worker: Worker) => slots.find((slot) => slot.worker === worker);
  const allGone = () => slots.every((slot) => !slot.worker);

  cluster.on("listening", (worker) => {
    const slot = slotOf(worker);
    if (!slot) return;
    slot.listening = true;
    if (!served && slots.every((s) => s.listening)) {
      served = true;
      onListening();
    }
  });

  cluster.on("exit", (worker, code, signal) => {
    const slot = slotOf(worker);
    if (!slot) return;
    slot.worker = undefined;
    if (draining) {
      if (allGone()) process.exit(0);
      return;
    }
    const pid = worker.process.pid;
    if (!served) {
      // Nothing has served yet: a broken build or setting, which a replacement would repeat.
      logLine({ message: "a web process exited before the server was up; stopping", pid, code, signal });
      for (const other of slots) other.worker?.process.kill("SIGTERM");
      process.exit(1);
    }
    const quick = !slot.listening || Date.now() - slot.startedAt < quickExitMs;
    slot.quickExits = quick ? slot.quickExits + 1 : 0;
    const restartInMs = restartDelayMs(slot.quickExits);
    logLine({
      message: "web process exited; starting another",
      pid,
      code,
      signal,
      restartInMs,
      outboxWorker: slot.outboxWorker,
    });
    slot.listening = false;
    slot.timer = setTimeout(() => start(slot), restartInMs);
  });

  const drain = () => {
    if (draining) return;
    draining = true;
    for (const slot of slots) {
      clearTimeout(slot.timer);
      slot.worker?.process.kill("SIGTERM");
    }
    if (allGone()) process.exit(0);
    setTimeout(() => {
      for (const slot of slots) {
        if (!slot.worker) continue;
        logLine({ message: "web process still running after 10 s; killing it", pid: slot.worker.process.pid });
        slot.worker.process.kill("SIGKILL");
      }
    }, stragglerMs);
  };
  process.on("SIGTERM", drain);
  process.on("SIGINT", drain);

  for (const slot of slots) start(slot);
}
