// Full-page screenshots of the key pages, light and dark, wide and phone-sized, into
// docs/screenshots/: what Asklog looks like, to review a change of look and to show in the README.
// The production build on a fresh temporary database with the demo data, and Debian's Chromium.
// Usage: npm run screenshots [-- --only home,ask]
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { demoPassword } from "../db/seed";
import { buildIfNeeded, Client, freePort, ServerProcess } from "./server-process";

const { values } = parseArgs({ options: { only: { type: "string" } } });
const outputDir = "docs/screenshots";
const cporTitle = "A customer-facing page that explains CPOR and POE";

type Role = "visitor" | "partner" | "team" | "admin";
const accounts: Record<Exclude<Role, "visitor">, string> = {
  partner: "dana@contoso.example",
  team: "tariq@asklog.example",
  admin: "admin@asklog.example",
};

type Shot = {
  name: string;
  role: Role;
  path: string | ((base: string) => Promise<string>);
  // Brings the page into the state worth showing (a refused form, an open menu).
  prepare?: (page: Page) => Promise<void>;
  // The phone's menu: on a wide screen there is nothing to open.
  phoneOnly?: boolean;
  // The styleguide is shown whole; other pages are cut at maxHeight.
  whole?: boolean;
};

let cporPath: string | undefined;
// The demo ask with the longest history; its number depends on the order the demo data is loaded in.
async function cporAsk(base: string): Promise<string> {
  if (!cporPath) {
    const html = await (await fetch(`${base}/search?q=${encodeURIComponent('"CPOR and POE"')}`)).text();
    cporPath = /href="(\/asks\/\d+-a-customer-facing-page[^"]*)"/.exec(html)?.[1];
    if (!cporPath) throw new Error(`"${cporTitle}" not found on the search page`);
  }
  return cporPath;
}

const shots: Shot[] = [
  { name: "home", role: "visitor", path: "/" },
  { name: "ask", role: "visitor", path: cporAsk },
  { name: "ask-team", role: "team", path: cporAsk },
  { name: "search", role: "visitor", path: "/search?q=partner+of+record" },
  { name: "roadmap", role: "visitor", path: "/roadmap" },
  { name: "triage", role: "team", path: "/triage" },
  { name: "my-asks", role: "partner", path: "/my-asks" },
  {
    name: "new-ask-errors",
    role: "partner",
    path: "/asks/new",
    prepare: async (page) => {
      await page.getByLabel("Title").fill("CSV");
      await page.getByRole("button", { name: "File ask" }).click();
      await page.getByRole("alert").first().waitFor();
    },
  },
  { name: "account", role: "partner", path: "/account" },
  { name: "admin", role: "admin", path: "/admin" },
  { name: "admin-users", role: "admin", path: "/admin/users" },
  { name: "admin-audit", role: "admin", path: "/admin/audit" },
  { name: "signin", role: "visitor", path: "/signin" },
  { name: "styleguide", role: "visitor", path: "/styleguide", whole: true },
  { name: "not-found", role: "visitor", path: "/no-such-page" },
  {
    name: "menu-open",
    role: "team",
    path: "/",
    phoneOnly: true,
    prepare: (page) => page.getByRole("banner").locator("summary").click(),
  },
];

const widths = [
  { label: "1280", viewport: { width: 1280, height: 800 } },
  { label: "390", viewport: { width: 390, height: 844 } },
] as const;
const schemes = ["light", "dark"] as const;

// A page longer than this is cut: the top of a long list says what the page looks like,
// and the files stay small enough to commit each time the look changes.
const maxHeight = 2400;

async function sessionCookie(base: string, email: string): Promise<{ name: string; value: string }[]> {
  const client = new Client(base);
  const reply = await client.signIn(email, demoPassword);
  if (reply.status !== 302 && reply.status !== 303) throw new Error(`sign-in as ${email} answered ${reply.status}`);
  return client.cookie.split("; ").map((pair) => {
    const at = pair.indexOf("=");
    return { name: pair.slice(0, at), value: pair.slice(at + 1) };
  });
}

async function contextFor(
  browser: Browser,
  base: string,
  role: Role,
  width: (typeof widths)[number],
  scheme: (typeof schemes)[number],
  cookies: Map<Role, { name: string; value: string }[]>,
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: base,
    viewport: width.viewport,
    colorScheme: scheme,
    // Retina-sharp would quadruple the files; one device pixel per CSS pixel is enough to judge a layout.
    deviceScaleFactor: 1,
  });
  context.setDefaultTimeout(30_000);
  if (role !== "visitor") {
    let jar = cookies.get(role);
    if (!jar) {
      jar = await sessionCookie(base, accounts[role]);
      cookies.set(role, jar);
    }
    await context.addCookies(jar.map((c) => ({ ...c, url: base })));
  }
  return context;
}

async function main() {
  const only = values.only?.split(",");
  const selected = only ? shots.filter((s) => only.includes(s.name)) : shots;
  buildIfNeeded();
  const dir = mkdtempSync(join(tmpdir(), "asklog-screenshots-"));
  const server = new ServerProcess({
    databasePath: join(dir, "asklog.db"),
    port: await freePort(),
    env: { SEED_DEMO: "1" },
  });
  await server.start();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    // A fresh profile every launch (playwright-core makes one): nothing remembered between runs.
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"],
  });
  mkdirSync(outputDir, { recursive: true });
  const cookies = new Map<Role, { name: string; value: string }[]>();
  let bytes = 0;
  let files = 0;
  try {
    for (const shot of selected) {
      const path = typeof shot.path === "string" ? shot.path : await shot.path(server.base);
      for (const width of shot.phoneOnly ? widths.filter((w) => w.label === "390") : widths) {
        for (const scheme of schemes) {
          const context = await contextFor(browser, server.base, shot.role, width, scheme, cookies);
          try {
            const page = await context.newPage();
            await page.goto(path, { waitUntil: "networkidle" });
            await shot.prepare?.(page);
            const height = shot.whole ? 0 : await page.evaluate(() => document.documentElement.scrollHeight);
            const file = join(outputDir, `${shot.name}-${width.label}-${scheme}.png`);
            await page.screenshot({
              path: file,
              fullPage: true,
              clip: height > maxHeight ? { x: 0, y: 0, width: width.viewport.width, height: maxHeight } : undefined,
              animations: "disabled",
              caret: "hide",
            });
            bytes += statSync(file).size;
            files += 1;
            console.log(file);
          } finally {
            await context.close();
          }
        }
      }
    }
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`${files} screenshots, ${(bytes / 1e6).toFixed(1)} MB`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
