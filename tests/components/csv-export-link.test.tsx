import { createRemixStub } from "@remix-run/testing";
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { CsvExportLink } from "~/components/csv-export-link";

function ListPage() {
  return <CsvExportLink to="/asks.csv" what="these asks" />;
}

function listAt(url: string) {
  const Stub = createRemixStub([{ path: "/", Component: ListPage }]);
  render(<Stub initialEntries={[url]} />);
  return screen.getByRole("link", { name: "Export CSV of these asks" });
}

describe("CsvExportLink", () => {
  it("carries the list's filters but not its page, since the file holds every page", () => {
    expect(listAt("/?sort=top&status=open&page=3&q=CPOR")).toHaveAttribute(
      "href",
      "/asks.csv?sort=top&status=open&q=CPOR",
    );
  });

  it("is the bare address on an unfiltered list", () => {
    expect(listAt("/")).toHaveAttribute("href", "/asks.csv");
  });
});
