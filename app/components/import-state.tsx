import type { ImportState as State } from "~/domain";

const labels: Record<State, string> = {
  queued: "Waiting to start",
  running: "Running",
  done: "Done",
  failed: "Failed",
};

// A run's state in words; a dry run that is done has checked, not imported.
export function ImportState({ run }: { run: { state: State; dryRun: boolean; report: { ok: boolean } | null } }) {
  const label = run.state === "done" && run.dryRun ? "Checked" : labels[run.state];
  const failed = run.state === "failed" || (run.report !== null && !run.report.ok);
  return <span className={`import-state ${failed ? "failed" : run.state}`}>{failed ? labels.failed : label}</span>;
}
