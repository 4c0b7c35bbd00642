import { Outlet, useLoaderData } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { OrganizationVotes } from "~/components/organization-votes";
import type { OrganizationVotes as Breakdown } from "~/models/vote.server";

type Section = { voteCount: number; organizationCount: number; breakdown: Breakdown[] | null };

const breakdown: Breakdown[] = [
  {
    organization: { id: 3, name: "Dell", slug: "dell" },
    votes: 2,
    firstVotedAt: "2026-03-01T10:00:00.000Z",
    lastVotedAt: "2026-03-05T10:00:00.000Z",
  },
  {
    organization: { id: 4, name: "Fabrikam", slug: "fabrikam" },
    votes: 1,
    firstVotedAt: "2026-03-03T10:00:00.000Z",
    lastVotedAt: "2026-03-03T10:00:00.000Z",
  },
  { organization: null, votes: 1, firstVotedAt: "2026-03-02T10:00:00.000Z", lastVotedAt: "2026-03-02T10:00:00.000Z" },
];

function AskPage() {
  const section = useLoaderData<Section>();
  return <OrganizationVotes {...section} />;
}

function renderSection(section: Section) {
  const Stub = createRemixStub([
    {
      id: "root",
      path: "/",
      Component: Outlet,
      loader: () => ({ locale: "en-GB", timeZone: "UTC" }),
      children: [{ path: "asks/7-rebates", Component: AskPage, loader: () => section }],
    },
  ]);
  return render(<Stub initialEntries={["/asks/7-rebates"]} />).container;
}

afterEach(cleanup);

describe("OrganizationVotes", () => {
  it("says how many votes from how many organizations, in the singular where it is one", async () => {
    renderSection({ voteCount: 6, organizationCount: 5, breakdown: null });
    expect(await screen.findByText("6 votes from 5 organizations")).toBeInTheDocument();
    cleanup();
    renderSection({ voteCount: 1, organizationCount: 1, breakdown: null });
    expect(await screen.findByText("1 vote from 1 organization")).toBeInTheDocument();
    cleanup();
    renderSection({ voteCount: 3, organizationCount: 0, breakdown: null });
    expect(await screen.findByText("3 votes")).toBeInTheDocument();
    expect(screen.queryByText("Votes by organization")).not.toBeInTheDocument();
  });

  it("lists the organizations with their votes and dates, linking to their pages", async () => {
    renderSection({ voteCount: 4, organizationCount: 2, breakdown });
    expect(await screen.findByText("4 votes from 2 organizations")).toBeInTheDocument();
    const table = screen.getByRole("table", { name: "Votes by organization" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => [...r.querySelectorAll("th, td")].map((c) => c.textContent))).toEqual([
      ["Dell", "2", "1 Mar 2026", "5 Mar 2026"],
      ["Fabrikam", "1", "3 Mar 2026", "3 Mar 2026"],
      ["No organization", "1", "2 Mar 2026", "2 Mar 2026"],
    ]);
    expect(within(table).getByRole("link", { name: "Dell" })).toHaveAttribute("href", "/orgs/dell");
    expect(within(table).queryByRole("link", { name: "No organization" })).not.toBeInTheDocument();
  });
});
