// Adds the platform-specific optional packages (other operating systems'
// biome and rollup binaries) that npm leaves out of package-lock.json when the
// registry it talks to does not serve them. Without these entries `npm ci`
// refuses the lock file as "out of sync" (npm/cli#9846). Each entry carries its
// os/cpu/libc, so npm skips it on every other platform without fetching it.
// Run after every `npm install` that changes dependencies: `npm run lock:complete`.
import { readFileSync, writeFileSync } from "node:fs";

const file = "package-lock.json";
const lock = JSON.parse(readFileSync(file, "utf8"));
const packages = lock.packages;

const systems = ["android", "darwin", "linux", "win32", "freebsd", "openbsd", "openharmony", "sunos", "aix"];
const cpus = ["arm64", "x64", "ia32", "arm", "loong64", "ppc64", "riscv64", "s390x"];

function platformOf(name) {
  const base = name.split("/").at(-1);
  const os = systems.find((s) => base.includes(`-${s}-`));
  const cpu = cpus.find((c) => new RegExp(`-${c}(-|$)`).test(base));
  if (!os || !cpu) throw new Error(`Cannot tell the platform of ${name}`);
  const entry = { cpu: [cpu], os: [os] };
  if (os === "linux") entry.libc = [base.includes("musl") ? "musl" : "glibc"];
  return entry;
}

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${path}/node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (packages[nested] || packages[hoisted]) continue;
    if (!/^\d+\.\d+\.\d+/.test(version)) throw new Error(`${name}: ${version} is a range, not a version`);
    packages[hoisted] = { version, ...platformOf(name), ...(entry.dev ? { dev: true } : {}), optional: true };
    added += 1;
  }
}

lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
);
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform package entries added`);
