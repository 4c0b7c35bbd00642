// `npm start` builds only when the production build is missing or older than
// the sources, so a second start is instant and a fresh clone just works.
import { execSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

const output = "build/index.js";
const sources = ["app", "remix.config.js", "package-lock.json"];
// Test runs and scripts may start servers side by side; only one of them may write build/ at a time.
const lock = "build.lock";

function newestChange(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

function isStale() {
  return !existsSync(output) || sources.some((s) => existsSync(s) && newestChange(s) > statSync(output).mtimeMs);
}

async function takeLock() {
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      // A lock left by a killed build is older than any real build takes.
      if (Date.now() - statSync(lock).mtimeMs > 5 * 60_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

if (isStale()) {
  await takeLock();
  try {
    // Another process may have built while this one waited.
    if (isStale()) {
      console.log("Building Asklog…");
      // Always a production build, whatever NODE_ENV the caller runs under (vitest sets "test").
      execSync("npx remix build", { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
