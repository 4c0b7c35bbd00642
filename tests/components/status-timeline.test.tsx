import { Outlet, useLoaderData } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { StatusTimeline, type StatusUpdateItem } from "~/components/status-timeline";

const underReview = { slug: "under-review", name: "Under review", color: "#9a6700" };
const completed = { slug: "completed", name: "Completed", color: "#1a7f37" };

const assigned: StatusUpdateItem = {
  id: 1,
  aboutDate: "2021-04-27",
  recordedAt: "2024-01-10T09:00:00.000Z",
  editedAt: null,
  team: "Assignment Team",
  authorId: 21,
  author: "Avery Stone",
  authorProfileHidden: false,
  fromStatus: "Open",
  toStatus: underReview,
  noteHtml: "<p>Assigned to the <strong>Partner Support Team</strong> for triage.</p>",
  links: [],
};

// The CPOR ask's history, as the ask page's loader hands it over (notes already rendered and sanitized).
const history: StatusUpdateItem[] = [
  assigned,
  {
    id: 2,
    aboutDate: "2021-05-11",
    recordedAt: "2021-05-11T15:00:00.000Z",
    editedAt: "2021-05-12T08:00:00.000Z",
    team: null,
    authorId: 22,
    author: "Morgan Lee",
    authorProfileHidden: false,
    fromStatus: "Under review",
    toStatus: underReview,
    noteHtml: "<p>Shared with the OSU team for next year's planning.</p>",
    links: [],
    mine: true,
  },
  {
    id: 3,
    aboutDate: "2021-05-11",
    recordedAt: "2021-05-11T16:00:00.000Z",
    editedAt: null,
    team: "Program team",
    authorId: 22,
    author: "Morgan Lee",
    authorProfileHidden: false,
    fromStatus: "Under review",
    toStatus: completed,
    noteHtml: "<p>Completed: a standalone page now describes CPOR.</p>",
    links: [
      { url: "https://aka.ms/about-cpor", title: "About CPOR" },
      { url: "javascript:alert(1)", title: "Imported link" },
    ],
    mine: true,
  },
];

function TimelinePage() {
  const { updates } = useLoaderData<{ updates: StatusUpdateItem[] }>();
  return <StatusTimeline updates={updates} statusPath="/asks/7-cpor/status" />;
}

async function renderTimeline(updates: StatusUpdateItem[]) {
  // Under a root route that, as the app's does, gives the reader's locale (a British English browser).
  const Stub = createRemixStub([
    {
      id: "root",
      path: "/",
      Component: Outlet,
      loader: () => ({ locale: "en-GB", timeZone: null }),
      children: [{ path: "asks/7-cpor", Component: TimelinePage, loader: () => ({ updates }) }],
    },
  ]);
  render(<Stub initialEntries={["/asks/7-cpor"]} />);
  await screen.findByRole("heading", { name: "Status details" });
  return screen.queryAllByRole("listitem");
}

describe("StatusTimeline", () => {
  it("lists each dated decision in order, by the team that made it, with its note", async () => {
    const [first, second, third] = await renderTimeline(history);
    expect(first).toHaveTextContent("27 April 2021 (recorded 10 Jan 2024) · Assignment Team · Under review");
    expect(within(first as HTMLElement).getByText("Partner Support Team", { selector: "strong" })).toBeVisible();
    // No team: the author answers. Same status as the entry above: no badge, it is a note. Edited: said so.
    expect(second).toHaveTextContent("11 May 2021 · Morgan Lee · edited");
    expect(second).not.toHaveTextContent("Under review");
    expect(third).toHaveTextContent("11 May 2021 · Program team · Completed");
  });

  it("links resolution links, and shows a stored script address as plain text", async () => {
    const [, , third] = await renderTimeline(history);
    const links = within(third as HTMLElement);
    expect(links.getByRole("link", { name: "About CPOR" })).toHaveAttribute("href", "https://aka.ms/about-cpor");
    expect(links.getByText("Imported link")).toBeVisible();
    expect(links.queryByRole("link", { name: "Imported link" })).not.toBeInTheDocument();
  });

  it("offers Edit and Remove on the viewer's own updates only, each named for the update it acts on", async () => {
    const [first, second] = await renderTimeline(history);
    expect(within(first as HTMLElement).queryByRole("button", { name: /Remove/ })).not.toBeInTheDocument();
    expect(
      within(second as HTMLElement).getByRole("link", {
        name: "Edit your status update of 11 May 2021 (1st that day)",
      }),
    ).toHaveAttribute("href", "/asks/7-cpor/status?update=2");
    expect(
      screen.getByRole("button", { name: "Remove your status update of 11 May 2021 (2nd that day)" }),
    ).toBeVisible();
  });

  it("says so when nothing has been decided yet", async () => {
    const items = await renderTimeline([]);
    expect(items).toHaveLength(0);
    expect(screen.getByText("No status updates yet. A program team will triage this ask.")).toBeVisible();
  });

  it("shows the first update's status when the ask was already there before it (imported history)", async () => {
    const [first] = await renderTimeline([{ ...assigned, fromStatus: "Under review" }]);
    expect(first).toHaveTextContent("27 April 2021 (recorded 10 Jan 2024) · Assignment Team");
    expect(first).not.toHaveTextContent("Under review");
  });
});
