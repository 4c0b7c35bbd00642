import { useLoaderData } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { type SimilarAskData, SimilarAsks } from "~/components/similar-asks";

const countdown: SimilarAskData = {
  id: 31,
  slug: "a-90-day-countdown-for-change-of-channel-partner",
  title: "A 90-day countdown for Change of Channel Partner",
  voteCount: 12,
  status: { slug: "planned", name: "Planned", color: "#0969da" },
};
const newest: SimilarAskData = {
  id: 48,
  slug: "show-the-cocp-countdown",
  title: "Show the CoCP countdown in Partner Center",
  voteCount: 1,
  status: { slug: "open", name: "Open", color: "#57606a" },
};

function FilingPage() {
  const { asks } = useLoaderData<{ asks: SimilarAskData[] }>();
  return (
    <main>
      <h1>File an ask</h1>
      <SimilarAsks asks={asks} heading="Did you mean one of these?" />
    </main>
  );
}

async function renderHints(asks: SimilarAskData[]) {
  const Stub = createRemixStub([{ path: "/asks/new", Component: FilingPage, loader: () => ({ asks }) }]);
  render(<Stub initialEntries={["/asks/new"]} />);
  await screen.findByRole("heading", { name: "File an ask" });
}

describe("SimilarAsks", () => {
  it("lists asks already filed, each opening in a new tab, with its status and votes", async () => {
    await renderHints([countdown, newest]);
    const hints = screen.getByRole("region", { name: "Did you mean one of these?" });
    const items = within(hints).getAllByRole("listitem");
    expect(items).toHaveLength(2);
    const link = within(items[0] as HTMLElement).getByRole("link", {
      name: "A 90-day countdown for Change of Channel Partner (opens in a new tab)",
    });
    expect(link).toHaveAttribute("href", "/asks/31-a-90-day-countdown-for-change-of-channel-partner");
    expect(link).toHaveAttribute("target", "_blank");
    expect(items[0]).toHaveTextContent("Planned 12 votes");
    expect(items[1]).toHaveTextContent("Open 1 vote");
    expect(hints).toHaveTextContent("If one of these is what you need, vote there");
  });

  it("shows nothing at all when no ask is close", async () => {
    await renderHints([]);
    expect(screen.queryByRole("region")).not.toBeInTheDocument();
    expect(screen.queryByText(/vote there/)).not.toBeInTheDocument();
  });
});
