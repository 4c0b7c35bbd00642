import { useLoaderData } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { cleanup, render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { AskRow, type ListViewer } from "~/components/ask-row";
import type { AskSummary } from "~/models/ask.server";

const cpor: AskSummary = {
  id: 7,
  slug: "a-customer-facing-page-that-explains-cpor",
  title: "A customer-facing page that explains CPOR and POE",
  voteCount: 6,
  commentCount: 1,
  createdAt: "2021-04-01T10:00:00.000Z",
  updatedAt: "2021-07-23T15:00:00.000Z",
  authorId: 101,
  author: "Dana Whitfield",
  authorProfileHidden: false,
  organization: "Dell",
  organizationSlug: "dell",
  category: "Partner programs",
  excerpt:
    "Partners ask **what CPOR means**: see [the guide](https://example.com/guide).\n\n## Why\nCustomers ask too.",
  status: { slug: "completed", name: "Completed", color: "#1a7f37", acceptsVotes: false, isClosed: true },
  hasResolution: true,
};

// As on the lists: the row comes from a loader, and AskRow's <Link> needs the router.
type RowData = { ask: AskSummary; snippet: string | null; viewer?: ListViewer };

function RowPage() {
  const { ask, snippet, viewer } = useLoaderData<RowData>();
  return (
    <ul>
      <AskRow ask={ask} viewer={viewer}>
        {snippet ? <p>{snippet}</p> : null}
      </AskRow>
    </ul>
  );
}

function renderRow(ask: AskSummary, snippet: string | null = null, viewer?: ListViewer) {
  const Stub = createRemixStub([
    { id: "root", path: "/", Component: RowPage, loader: (): RowData => ({ ask, snippet, viewer }) },
  ]);
  render(<Stub initialEntries={["/?sort=top&page=2"]} />);
  return screen.findByRole("listitem");
}

const voter: ListViewer = { signedIn: true, canVote: true, votedIds: [] };
const open = {
  ...cpor,
  status: { slug: "planned", name: "Planned", color: "#0969da", acceptsVotes: true, isClosed: false },
};

describe("AskRow", () => {
  it("links the title to the ask and shows its votes, status, category, comments and filing", async () => {
    const row = await renderRow(cpor);
    const heading = within(row).getByRole("heading", { level: 2, name: cpor.title });
    expect(within(heading).getByRole("link", { name: cpor.title })).toHaveAttribute(
      "href",
      "/asks/7-a-customer-facing-page-that-explains-cpor",
    );
    expect(row).toHaveTextContent("6 votes");
    expect(row).toHaveTextContent("Resolved with link");
    expect(row).toHaveTextContent("Partner programs");
    expect(row).toHaveTextContent("1 comment");
    // The author and their organization; the filing date is a machine-readable <time> in the reader's locale.
    expect(row).toHaveTextContent("Dana Whitfield, Dell · Apr 1, 2021");
    expect(within(row).getByText("Apr 1, 2021")).toHaveAttribute("datetime", cpor.createdAt);
  });

  it("says nothing of a resolution for a link on an ask still planned", async () => {
    const row = await renderRow(open);
    expect(row).not.toHaveTextContent("Resolved");
  });

  it("marks the status for the stylesheet's colour, without a style attribute", async () => {
    const row = await renderRow(cpor);
    const badge = within(row).getByText("Completed");
    expect(badge).toHaveAttribute("data-status", "completed");
    expect(row.querySelector("[style]")).toBeNull();
  });

  it("names the author when they have no organization, counts in the singular and plural, and says nothing of a missing resolution", async () => {
    const row = await renderRow({
      ...cpor,
      voteCount: 1,
      commentCount: 3,
      organization: null,
      hasResolution: false,
    });
    expect(row).toHaveTextContent("1 vote");
    expect(row).not.toHaveTextContent("1 votes");
    expect(row).toHaveTextContent("3 comments");
    expect(row).toHaveTextContent("Dana Whitfield · Apr 1, 2021");
    expect(row).not.toHaveTextContent("Resolved");
  });

  it("shows a title with markup as text, and what it is given under the title", async () => {
    const title = '<img src=x onerror="alert(1)"> & <b>bold</b>';
    const row = await renderRow({ ...cpor, title }, "Matched in a status note");
    expect(within(row).getByRole("link", { name: title })).toBeInTheDocument();
    expect(row.querySelector("img, b")).toBeNull();
    expect(within(row).getByText("Matched in a status note")).toBeInTheDocument();
    // The snippet says why the ask matched; the excerpt would only repeat the description.
    expect(row).not.toHaveTextContent("Partners ask");
  });

  it("shows the description's start as plain text, and marks a cut-off one", async () => {
    const row = await renderRow(cpor);
    expect(row).toHaveTextContent("Partners ask what CPOR means: see the guide. Why Customers ask too.");
    expect(row).not.toHaveTextContent("**");
    expect(within(row).queryByRole("link", { name: "the guide" })).toBeNull();

    const long = `${"word ".repeat(59)}wordcut`;
    const cut = await renderRowAgain({ ...cpor, excerpt: long });
    expect(cut).toHaveTextContent(/word…/);
    expect(cut).not.toHaveTextContent("wordcut");
  });
});

async function renderRowAgain(ask: AskSummary) {
  cleanup();
  return renderRow(ask);
}

describe("AskRow's vote button", () => {
  it("votes through the ask's page and names this list page to come back to", async () => {
    const row = await renderRow(open, null, voter);
    const button = within(row).getByRole("button", { name: `Vote for ${cpor.title}` });
    expect(button).toHaveAttribute("aria-pressed", "false");
    expect(button).toHaveAttribute("value", "vote");
    const form = button.closest("form");
    expect(form).toHaveAttribute("action", "/asks/7-a-customer-facing-page-that-explains-cpor");
    expect(form?.querySelector('input[name="returnTo"]')).toHaveValue("/?sort=top&page=2");
    expect(row).toHaveAttribute("id", "ask-7");
  });

  it("shows a vote already cast as pressed, and retracts it", async () => {
    const row = await renderRow(open, null, { ...voter, votedIds: [7] });
    const button = within(row).getByRole("button", { name: `Vote for ${cpor.title}` });
    expect(button).toHaveAttribute("aria-pressed", "true");
    expect(button).toHaveAttribute("value", "unvote");
  });

  it("sends a signed-out reader to sign in and back to this list page", async () => {
    const row = await renderRow(open, null, { signedIn: false, canVote: false, votedIds: [] });
    expect(within(row).queryByRole("button")).toBeNull();
    const link = within(row).getByRole("link", { name: `Vote for ${cpor.title}: sign in first` });
    expect(link).toHaveAttribute("href", `/signin?redirectTo=${encodeURIComponent("/?sort=top&page=2")}`);
  });

  it("offers no vote on an ask whose status takes none, but still shows the count", async () => {
    const row = await renderRow(cpor, null, voter);
    expect(within(row).queryByRole("button")).toBeNull();
    expect(row).toHaveTextContent("6 votes");
    const visitor = await renderRow(cpor, null, { signedIn: false, canVote: false, votedIds: [] });
    expect(within(visitor).queryByRole("link", { name: /Vote for/ })).toBeNull();
  });
});
