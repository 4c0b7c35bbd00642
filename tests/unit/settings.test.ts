import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readSettings, settingsSchema } from "~/settings.server";

// The settings table in README.md, as { variable: default } ("—" or a word such as
// "generated" when the table shows no literal default).
function readmeSettings(): Map<string, string> {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const section = readme.split(/^## /m).find((part) => part.startsWith("Settings\n"));
  if (!section) throw new Error("README.md has no Settings section");
  const rows = section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => line.split("|").map((cell) => cell.trim()));
  const settings = new Map<string, string>();
  for (const [, names = "", fallback = ""] of rows) {
    for (const [, name = ""] of names.matchAll(/`([A-Z_]+)`/g)) settings.set(name, fallback);
  }
  return settings;
}

// What the schema uses when a variable is unset, as the table would show it.
function schemaDefault(field: unknown): string | undefined {
  if (typeof field !== "object" || field === null || !("def" in field)) return undefined;
  const def = field.def;
  if (typeof def !== "object" || def === null || !("defaultValue" in def)) return undefined;
  return `\`${String(def.defaultValue)}\``;
}

describe("README.md's settings table", () => {
  it("lists every variable of the settings schema, and no other", () => {
    expect([...readmeSettings().keys()].sort()).toEqual(Object.keys(settingsSchema.shape).sort());
  });

  it("shows the schema's default for each", () => {
    const readme = readmeSettings();
    for (const [name, field] of Object.entries(settingsSchema.shape)) {
      const fallback = readme.get(name) ?? "";
      const expected = schemaDefault(field);
      if (expected === undefined) expect(fallback, name).not.toMatch(/^`/);
      else expect(fallback, name).toBe(expected);
    }
  });
});

describe("settings", () => {
  it("are the defaults when nothing is set, and an empty variable counts as unset", () => {
    expect(readSettings({ PORT: "", MAX_BODY_BYTES: " " })).toMatchObject({
      port: 3000,
      host: "0.0.0.0",
      maxBodyBytes: 1_048_576,
      seedDemo: true,
      requestLog: true,
      cookieSecure: false,
      appOrigin: undefined,
      admin: undefined,
    });
  });

  it("are read as the types the code uses", () => {
    expect(
      readSettings({
        PORT: "8080",
        MAX_BODY_BYTES: "2048",
        SEED_DEMO: "0",
        COOKIE_SECURE: "1",
        APP_URL: "https://asks.example.com/some/page",
        TRUST_PROXY: "2",
        REQUEST_LOG: "off",
        ADMIN_EMAIL: "ops@asks.example.com",
        ADMIN_PASSWORD: "a long passphrase",
      }),
    ).toMatchObject({
      port: 8080,
      maxBodyBytes: 2048,
      seedDemo: false,
      cookieSecure: true,
      appOrigin: "https://asks.example.com",
      trustProxy: 2,
      requestLog: false,
      admin: { email: "ops@asks.example.com", password: "a long passphrase" },
    });
    expect(readSettings({ TRUST_PROXY: "loopback, 10.0.0.0/8" }).trustProxy).toBe("loopback, 10.0.0.0/8");
  });

  it.each([
    ["MAX_BODY_BYTES", "1mb", 'MAX_BODY_BYTES="1mb" is not valid: expected a whole number of bytes'],
    ["PORT", "abc", 'PORT="abc" is not valid: expected a port number from 0 to 65535'],
    ["PORT", "70000", 'PORT="70000" is not valid'],
    ["APP_URL", "notaurl", 'APP_URL="notaurl" is not valid: expected the public address'],
    ["APP_URL", "ftp://asks.example.com", 'APP_URL="ftp://asks.example.com" is not valid'],
    ["SEED_DEMO", "yes", 'SEED_DEMO="yes" is not valid: expected 0 or 1'],
    ["REQUEST_LOG", "quiet", 'REQUEST_LOG="quiet" is not valid: expected on or off'],
    ["TRUST_PROXY", "the load balancer", 'TRUST_PROXY="the load balancer" is not valid'],
    ["NODE_ENV", "staging", 'NODE_ENV="staging" is not valid'],
    ["RATE_LIMIT_VOTES", "120", 'RATE_LIMIT_VOTES="120" is not a rate limit'],
    ["RATE_LIMITS", "sometimes", 'RATE_LIMITS="sometimes" is not valid: expected on or off'],
  ])("%s=%s stops with one line naming the variable, the value and what is expected", (name, value, line) => {
    expect(() => readSettings({ [name]: value })).toThrow(line);
    try {
      readSettings({ [name]: value });
    } catch (error) {
      expect(String(error)).not.toContain("\n");
    }
  });

  it("wants the admin's email and password together, and never prints a password", () => {
    expect(() => readSettings({ ADMIN_EMAIL: "ops@asks.example.com" })).toThrow(
      "ADMIN_EMAIL and ADMIN_PASSWORD are set together or not at all",
    );
    expect(() => readSettings({ ADMIN_PASSWORD: "hunter2-hunter2" })).toThrow(/ADMIN_EMAIL and ADMIN_PASSWORD/);
    expect(() => readSettings({ ADMIN_PASSWORD: "hunter2-hunter2" })).not.toThrow(/hunter2/);
  });
});
