import { useLoaderData } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { AskRow } from "~/components/ask-row";
import type { AskSummary } from "~/models/ask.server";

const cpor: AskSummary = {
  id: 7,
  slug: "a-customer-facing-page-that-explains-cpor",
  title: "A customer-facing page that explains CPOR and POE",
  voteCount: 6,
  commentCount: 1,
  createdAt: "2021-04-01T10:00:00.000Z",
  updatedAt: "2021-07-23T15:00:00.000Z",
  author: "Dana Whitfield",
  organization: "Dell",
  category: "Partner programs",
  status: { slug: "completed", name: "Completed", color: "#1a7f37" },
  hasResolution: true,
};

// As on the lists: the row comes from a loader, and AskRow's <Link> needs the router.
function RowPage() {
  const { ask, snippet } = useLoaderData<{ ask: AskSummary; snippet: string | null }>();
  return (
    <ul>
      <AskRow ask={ask}>{snippet ? <p>{snippet}</p> : null}</AskRow>
    </ul>
  );
}

function renderRow(ask: AskSummary, snippet: string | null = null) {
  const Stub = createRemixStub([{ path: "/", Component: RowPage, loader: () => ({ ask, snippet }) }]);
  render(<Stub />);
  return screen.findByRole("listitem");
}

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
    // The partner's organization stands for them; the date is a plain day.
    expect(row).toHaveTextContent("Dell · 2021-04-01");
    expect(row).not.toHaveTextContent("Dana Whitfield");
    expect(within(row).getByText("2021-04-01")).toHaveAttribute("datetime", cpor.createdAt);
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
    expect(row).toHaveTextContent("Dana Whitfield · 2021-04-01");
    expect(row).not.toHaveTextContent("Resolved");
  });

  it("shows a title with markup as text, and what it is given under the title", async () => {
    const title = '<img src=x onerror="alert(1)"> & <b>bold</b>';
    const row = await renderRow({ ...cpor, title }, "Matched in a status note");
    expect(within(row).getByRole("link", { name: title })).toBeInTheDocument();
    expect(row.querySelector("img, b")).toBeNull();
    expect(within(row).getByText("Matched in a status note")).toBeInTheDocument();
  });
});
