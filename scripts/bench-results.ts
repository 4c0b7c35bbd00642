import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";

// The commit a benchmark measured, for its results file.
export function currentCommit(): string {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

// Writes bench/results/<timestamp><suffix>.json, with the date and commit first, and returns its path.
export function saveResults(suffix: string, commit: string, fields: Record<string, unknown>): string {
  mkdirSync("bench/results", { recursive: true });
  const file = `bench/results/${new Date().toISOString().replace(/[:.]/g, "-")}${suffix}.json`;
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), commit, ...fields }, null, 2)}\n`);
  return file;
}
