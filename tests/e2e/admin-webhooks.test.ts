import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { browserForFile, expectAccessible, signIn } from "./browser";

// An admin registers a webhook endpoint in the browser, copies its secret (shown once), sends a
// test event, and sees it arrive at a real receiver and in the delivery log; with and without
// JavaScript. The shared server runs with WEBHOOK_ALLOW_PRIVATE=1 (global-setup.ts), so the
// receiver may listen on 127.0.0.1.

const openPage = browserForFile();
type Received = { path: string; headers: IncomingHttpHeaders; body: string };
const received: Received[] = [];
let receiver: Server;
let base = "";

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200).end("thanks");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

// The Standard Webhooks check, from the specification (see docs/webhooks.md).
function signedWith(secret: string, message: Received): boolean {
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const signed = `${message.headers["webhook-id"]}.${message.headers["webhook-timestamp"]}.${message.body}`;
  const expected = createHmac("sha256", key).update(signed).digest();
  return String(message.headers["webhook-signature"])
    .split(" ")
    .some((entry) => {
      const given = Buffer.from(entry.split(",")[1] ?? "", "base64");
      return entry.startsWith("v1,") && given.length === expected.length && timingSafeEqual(given, expected);
    });
}

async function registerAndTest(page: Page, path: string): Promise<void> {
  const admin = inject("admin");
  await signIn(page, admin.email, admin.password);
  await page.goto("/admin/webhooks");
  await expect.poll(() => page.getByRole("heading", { name: "Webhooks", level: 1 }).isVisible()).toBe(true);
  await expectAccessible(page);

  // A refused address is named next to the field, and what was typed stays.
  await page.getByLabel("URL").fill("http://169.254.169.254/latest");
  await page.getByLabel("Description (optional)").fill(`Planning board ${path}`);
  await page.getByRole("button", { name: "Register endpoint" }).click();
  await expect.poll(() => page.getByText(/a cloud metadata address/).isVisible()).toBe(true);
  expect(await page.getByLabel("Description (optional)").inputValue()).toBe(`Planning board ${path}`);
  await expectAccessible(page);

  await page.getByLabel("URL").fill(`${base}${path}`);
  await page.getByRole("button", { name: "Register endpoint" }).click();
  await page.waitForURL(/\/admin\/webhooks\/\d+$/);
  const secret = (await page.getByText(/^whsec_/).textContent()) ?? "";
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
  await expectAccessible(page);

  // Shown once: the next visit does not show it.
  await page.reload();
  await expect.poll(() => page.getByRole("button", { name: "Send a test event" }).isVisible()).toBe(true);
  expect(await page.getByText(/^whsec_/).count()).toBe(0);

  await page.getByRole("button", { name: "Send a test event" }).click();
  await expect.poll(() => received.filter((r) => r.path === path).length).toBe(1);
  const [ping] = received.filter((r) => r.path === path);
  expect(signedWith(secret, ping as Received)).toBe(true);
  expect(JSON.parse(ping?.body ?? "{}")).toMatchObject({ type: "ask.created", data: { test: true } });

  // The log shows the delivery once the worker has recorded it.
  await expect
    .poll(async () => {
      await page.reload();
      return page.getByRole("cell", { name: /Delivered/ }).count();
    })
    .toBe(1);
  expect(await page.getByText("HTTP 200").count()).toBe(1);
  expect(await page.getByText("(test)").count()).toBe(1);
  await expectAccessible(page);

  // Deleted, so that the other test files' events do not go to a receiver that is gone.
  await page.getByRole("button", { name: "Delete endpoint" }).click();
  await page.waitForURL(/\/admin\/webhooks$/);
  expect(await page.getByRole("link", { name: `${base}${path}` }).count()).toBe(0);
}

describe("webhooks in the admin area", () => {
  it("registers an endpoint, shows its secret once and logs a test event, with JavaScript", async () => {
    const { context, page } = await openPage();
    try {
      await registerAndTest(page, `/with-js-${Date.now()}`);
    } finally {
      await context.close();
    }
  });

  it("does the same without JavaScript", async () => {
    const { context, page } = await openPage({ javaScriptEnabled: false });
    try {
      await registerAndTest(page, `/without-js-${Date.now()}`);
    } finally {
      await context.close();
    }
  });
});
