import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createUser } from "~/models/user.server";
import { closeDb } from "../../db/client";
import { browserForFile, expectAccessible, signIn } from "./browser";

// An admin merges two organizations and undoes it, with JavaScript and without. Each mode has
// organizations of its own, named so nothing else on the shared server has them.

const openPage = browserForFile();
const modes = [
  ["with JavaScript", true],
  ["without JavaScript", false],
] as const;
const stamp = Date.now();
const names = (javaScriptEnabled: boolean) => {
  const mode = javaScriptEnabled ? "js" : "nojs";
  return { from: `Merge Source ${mode} ${stamp}`, into: `Merge Target ${mode} ${stamp}` };
};

beforeAll(async () => {
  process.env.DATABASE_PATH = inject("databasePath");
  let n = 0;
  for (const [, javaScriptEnabled] of modes) {
    for (const organization of Object.values(names(javaScriptEnabled))) {
      n += 1;
      const created = await createUser({
        email: `org-member-${n}-${stamp}@example.com`,
        displayName: `Org Member ${n}`,
        organization,
        password: "org-member-password",
      });
      if (!created.ok) throw new Error(`member refused: ${created.reason}`);
    }
  }
}, 60_000);
afterAll(() => closeDb());

const organizationRow = (page: Page, name: string) =>
  page.getByRole("table", { name: "Organizations" }).getByRole("row").filter({ hasText: name });

describe.each(modes)("%s", (_, javaScriptEnabled) => {
  it("merges two organizations, refusing a merge into itself, and undoes it", async () => {
    const { from, into } = names(javaScriptEnabled);
    const { page, context } = await openPage({ javaScriptEnabled });
    await signIn(page, "admin@asklog.example", "asklog-demo", "/admin/orgs");
    await expectAccessible(page);
    await expect.poll(() => organizationRow(page, from).count()).toBe(1);
    const mergeFrom = page.getByLabel("Merge", { exact: true });
    const mergeInto = page.getByLabel("into", { exact: true });

    await mergeFrom.selectOption({ label: `${from} (1 member)` });
    await mergeInto.selectOption({ label: `${from} (1 member)` });
    await page.getByRole("button", { name: "Merge", exact: true }).click();
    const itself = page.getByText("An organization cannot be merged into itself: choose another one.");
    await expect.poll(() => itself.isVisible()).toBe(true);
    // The message is the field's description, and the choice is kept.
    expect(await mergeInto.getAttribute("aria-invalid")).toBe("true");
    expect(await mergeFrom.inputValue()).toBe(await mergeInto.inputValue());
    await expectAccessible(page);

    await mergeInto.selectOption({ label: `${into} (1 member)` });
    await page.getByRole("button", { name: "Merge", exact: true }).click();
    const merged = page.getByRole("status").filter({ hasText: `Merged ${from} into ${into}: 1 person moved.` });
    await expect.poll(() => merged.isVisible()).toBe(true);
    await expect.poll(() => organizationRow(page, from).count()).toBe(0);
    await expect.poll(() => organizationRow(page, into).getByRole("cell").nth(1).textContent()).toBe("2");
    await expectAccessible(page);

    await page.getByRole("button", { name: `Undo the merge of ${from} into ${into}` }).click();
    const undone = page.getByRole("status").filter({ hasText: `Merge undone: ${from} is back, with 1 person.` });
    await expect.poll(() => undone.isVisible()).toBe(true);
    await expect.poll(() => organizationRow(page, from).count()).toBe(1);
    await expect.poll(() => organizationRow(page, into).getByRole("cell").nth(1).textContent()).toBe("1");
    const history = page.getByRole("region", { name: "Recent merges" }).getByRole("listitem").filter({ hasText: from });
    await expect.poll(() => history.first().textContent()).toContain("Undone");
    await expectAccessible(page);
    await context.close();
  });
});
