import { Outlet, useLoaderData } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { cleanup, render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { AskRevisions } from "~/components/ask-revisions";
import type { RevisionDiff } from "~/services/ask-edit.server";
import { diffWords } from "~/word-diff";

// Two edits of one ask, newest first, as the ask page's loader hands them over.
const revisions: RevisionDiff[] = [
  {
    id: 2,
    editorId: 31,
    editor: "Tariq Haddad",
    editorProfileHidden: false,
    editorTeam: "Assignment Team",
    byTeam: true,
    createdAt: "2026-03-02T10:00:00.000Z",
    title: diffWords("Partner rebates per month", "Partner rebates per month"),
    body: diffWords("Partners want totals.", "Partners want totals by claim."),
    category: { before: "Incentives and rebates", after: "Partner Center" },
  },
  {
    id: 1,
    editorId: 32,
    editor: "Priya Raman",
    editorProfileHidden: true,
    editorTeam: null,
    byTeam: false,
    createdAt: "2026-03-01T10:00:00.000Z",
    title: diffWords("Partner rebates per quarter", "Partner rebates per month"),
    body: diffWords("Partners want totals.", "Partners want totals."),
    category: null,
  },
];

function RevisionsPage() {
  const { revisions, open } = useLoaderData<{ revisions: RevisionDiff[]; open: boolean }>();
  return <AskRevisions revisions={revisions} open={open} />;
}

async function renderRevisions(list: RevisionDiff[], open = false) {
  const Stub = createRemixStub([
    {
      id: "root",
      path: "/",
      Component: Outlet,
      loader: () => ({ locale: "en-GB", timeZone: "UTC" }),
      children: [{ path: "asks/7-rebates", Component: RevisionsPage, loader: () => ({ revisions: list, open }) }],
    },
  ]);
  const { container } = render(<Stub initialEntries={["/asks/7-rebates"]} />);
  return container;
}

describe("AskRevisions", () => {
  it("shows each earlier version as a diff, naming removed and added words for screen readers", async () => {
    await renderRevisions(revisions);
    expect(await screen.findByText("Earlier versions (2)")).toBeInTheDocument();
    const [newest, oldest] = screen.getAllByRole("listitem");

    // The author's fix: "quarter" struck out, "month" inserted, the rest as it was.
    const removed = oldest!.querySelector("del");
    const added = oldest!.querySelector("ins");
    expect(removed).toHaveTextContent("removed quarter");
    expect(added).toHaveTextContent("added month");
    expect(within(removed as HTMLElement).getByText("removed")).toHaveClass("visually-hidden");
    expect(oldest).toHaveTextContent("Edited by Priya Raman");
    expect(oldest).not.toHaveTextContent("program team");
    expect(oldest).not.toHaveTextContent("Category");

    // The team's edit is named as one, with the category move and the words it added.
    expect(newest).toHaveTextContent("Edited by Tariq Haddad (Assignment Team, program team)");
    expect(newest).toHaveTextContent("Category: was Incentives and rebates → now Partner Center");
    const bodyAdded = [...newest!.querySelectorAll(".diff-body ins")].map((e) => e.textContent);
    expect(bodyAdded).toEqual(["added by claim"]);
    expect(newest!.querySelectorAll(".diff-title del, .diff-title ins")).toHaveLength(0);
  });

  it("is folded unless asked to show unfolded", async () => {
    const folded = await renderRevisions(revisions);
    await screen.findByText("Earlier versions (2)");
    expect(folded.querySelector("details#revisions")).not.toHaveAttribute("open");
    cleanup();
    const unfolded = await renderRevisions(revisions, true);
    await screen.findByText("Earlier versions (2)");
    expect(unfolded.querySelector("details#revisions")).toHaveAttribute("open");
  });

  it("shows nothing for an ask never edited", async () => {
    const container = await renderRevisions([]);
    await screen.findByText((_, el) => el === container);
    expect(container.querySelector("#revisions")).toBeNull();
  });
});
