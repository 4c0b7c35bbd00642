import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject } from "vitest";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export const baseUrl = () => inject("baseUrl");

// Debian's Chromium, headless, with no calls home. playwright-core gives every
// launch a fresh temporary profile (its own --user-data-dir) and removes it on close.
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
      "--disable-quic",
    ],
  });
}

// One browser for the test file that calls this at its top level, closed when the file's tests end;
// the returned function opens a fresh page (and context) in it.
export function browserForFile(): (options?: { javaScriptEnabled?: boolean }) => ReturnType<typeof newPage> {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return (options) => {
    if (!browser) throw new Error("pages open inside tests, after the browser has launched");
    return newPage(browser, options);
  };
}

const pageErrors = new WeakMap<Page, string[]>();
const noScriptPages = new WeakSet<Page>();

export async function newPage(
  browser: Browser,
  options: { javaScriptEnabled?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    javaScriptEnabled: options.javaScriptEnabled ?? true,
  });
  // Fail a stuck step well inside the test's own time limit, so the report names the step.
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  if (options.javaScriptEnabled === false) noScriptPages.add(page);
  // A script error in the browser (a failed hydration, a crash in a component) fails the test.
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  // So is anything the Content-Security-Policy blocked: a script of ours without the nonce would be.
  page.on("console", (message) => {
    if (message.type() === "error" && message.text().includes("Content Security Policy")) errors.push(message.text());
  });
  pageErrors.set(page, errors);
  // Every report of the page's policy, with the script that caused it; the console does not
  // show all of them (an eval that the script itself catches, for one).
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.assign(window, { __policyViolations: seen });
    document.addEventListener("securitypolicyviolation", (e) =>
      seen.push(`${e.violatedDirective} ${e.blockedURI} from ${e.sourceFile}`),
    );
  });
  return { context, page };
}

// Runs axe-core on what the page shows and fails the test on any violation,
// naming the rule and the elements; script errors seen by the page fail it too.
export async function expectAccessible(page: Page): Promise<void> {
  expect(pageErrors.get(page) ?? [], `script errors on ${page.url()}`).toEqual([]);
  const violations = noScriptPages.has(page) ? await axeOnCopy(page) : await runAxe(page);
  expect(violations, `accessibility violations on ${page.url()}`).toEqual([]);
  // axe-core adds <style> elements of its own while it measures, which the page's
  // policy rightly refuses: those reports are about the checker, not the page.
  const errors = pageErrors.get(page) ?? [];
  errors.splice(0, errors.length, ...errors.filter((e) => !/Content Security Policy.*style-src/.test(e)));
  expect(errors, `script errors on ${page.url()}`).toEqual([]);
  if (noScriptPages.has(page)) return;
  // Reports caused by the page's own scripts; axe's evaluation comes from the test, not from a file of the site.
  const origin = new URL(page.url()).origin;
  const reports = await page.evaluate(
    () => (window as unknown as { __policyViolations?: string[] }).__policyViolations ?? [],
  );
  expect(
    reports.filter((v) => v.endsWith(`from ${origin}`) || v.includes(`from ${origin}/`)),
    `policy violations on ${page.url()}`,
  ).toEqual([]);
}

function runAxe(page: Page): Promise<string[]> {
  return page.evaluate(async (source) => {
    // biome-ignore lint/security/noGlobalEval: runs the axe-core source inside the page under test
    window.eval(source);
    // biome-ignore lint/suspicious/noExplicitAny: axe is defined by the source evaluated above
    const result = await (window as any).axe.run(document);
    return result.violations.map(
      (v: { id: string; help: string; nodes: { target: string[] }[] }) =>
        `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
    );
  }, axeSource);
}

// axe needs timers, which a page without JavaScript does not run. So the page's
// exact HTML is served again, at the same address (same stylesheets, so colour
// contrast is judged right), to a page that runs scripts but loads none of the app's.
async function axeOnCopy(page: Page): Promise<string[]> {
  const html = await page.content();
  const context = await page.context().browser()!.newContext({ baseURL: baseUrl() });
  try {
    const copy = await context.newPage();
    await copy.route("**/*.js", (route) => route.abort());
    const address = page.url();
    await copy.route(
      (url) => url.href === address,
      (route) => route.fulfill({ body: html, contentType: "text/html" }),
    );
    await copy.goto(address);
    return await runAxe(copy);
  } finally {
    await context.close();
  }
}

// Signs in through the form, as a person would, and waits until the header shows it; with
// redirectTo, also until the form has sent the reader back to that address.
export async function signIn(page: Page, email: string, password: string, redirectTo?: string): Promise<void> {
  await page.goto(redirectTo === undefined ? "/signin" : `/signin?redirectTo=${encodeURIComponent(redirectTo)}`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  if (redirectTo !== undefined) await page.waitForURL((url) => `${url.pathname}${url.search}` === redirectTo);
  await expect.poll(() => page.getByRole("button", { name: "Sign out" }).isVisible()).toBe(true);
}
