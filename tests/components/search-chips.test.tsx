import { useLoaderData } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { type SearchChip, SearchChips, unknownNames } from "~/components/search-chips";
import { SearchHit } from "~/components/search-hit";
import type { SearchResult } from "~/models/search-index.server";

const chips: SearchChip[] = [
  { key: "org", value: "dell", label: "Dell", without: 'cpor author:"raj mehta"' },
  { key: "author", value: "raj mehta", label: "Raj Mehta", without: "cpor org:dell" },
];

// As on the search page: the chips and hits come from the loader.
function ChipsPage() {
  return <SearchChips chips={useLoaderData<{ list: SearchChip[] }>().list} />;
}

function HitPage() {
  return (
    <ol>
      <SearchHit result={useLoaderData<{ result: SearchResult }>().result} />
    </ol>
  );
}

function renderChips(url: string, list: SearchChip[] = chips) {
  const Stub = createRemixStub([{ path: "/search", Component: ChipsPage, loader: () => ({ list }) }]);
  render(<Stub initialEntries={[url]} />);
  return screen.findByRole("list", { name: "Search filters" });
}

describe("SearchChips", () => {
  it("links each qualifier to the same search without it, keeping the other filters but not the page", async () => {
    const list = await renderChips(
      `/search?q=${encodeURIComponent('cpor org:dell author:"raj mehta"')}&status=open&page=3`,
    );
    expect(within(list).getByRole("link", { name: "Remove filter org: Dell" })).toHaveAttribute(
      "href",
      `/search?q=${encodeURIComponent('cpor author:"raj mehta"').replaceAll("%20", "+")}&status=open`,
    );
    expect(within(list).getByRole("link", { name: "Remove filter author: Raj Mehta" })).toHaveAttribute(
      "href",
      "/search?q=cpor+org%3Adell&status=open",
    );
  });

  it("leaves out the words when the last qualifier goes, and shows what was typed for a name that names nothing", async () => {
    const unknown: SearchChip[] = [{ key: "org", value: "nosuch", label: null, without: "" }];
    const list = await renderChips("/search?q=org%3Anosuch", unknown);
    expect(within(list).getByRole("link", { name: "Remove filter org: nosuch" })).toHaveAttribute("href", "/search");
    expect(unknownNames(unknown)).toEqual(["No organization is called “nosuch”."]);
    expect(unknownNames(chips)).toEqual([]);
  });
});

describe("SearchHit", () => {
  it("says which person made an ask match, with what they wrote", async () => {
    const result = {
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
      organization: "Contoso",
      organizationSlug: "contoso",
      category: "Partner programs",
      excerpt: "",
      status: { slug: "completed", name: "Completed", color: "#1a7f37", acceptsVotes: false, isClosed: true },
      hasResolution: true,
      match: {
        source: "person",
        parts: [{ text: "We (Dell) requested this months ago.", hit: false }],
        person: { role: "comment", name: "Raj Mehta", organization: "Dell", team: null, date: "2021-02-01" },
      },
    } as SearchResult;
    const Stub = createRemixStub([{ path: "/search", Component: HitPage, loader: () => ({ result }) }]);
    render(<Stub initialEntries={["/search?q=dell"]} />);
    const row = await screen.findByRole("listitem");
    expect(row).toHaveTextContent("Comment by Raj Mehta (Dell): We (Dell) requested this months ago.");
  });
});
