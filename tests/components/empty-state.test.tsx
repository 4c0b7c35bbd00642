import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { EmptyState } from "~/components/empty-state";

describe("EmptyState", () => {
  it("says there is nothing here under a heading of the level the page needs, and offers the way on", () => {
    render(
      <EmptyState title="Page not found" level={1} actions={<a href="/">Back to all asks</a>}>
        <p>There is nothing at this address.</p>
      </EmptyState>,
    );
    expect(screen.getByRole("heading", { level: 1, name: "Page not found" })).toBeInTheDocument();
    expect(screen.getByText("There is nothing at this address.")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Back to all asks" })).toHaveAttribute("href", "/");
  });

  it("is a section heading inside a page by default, with no actions when none are given", () => {
    render(
      <EmptyState title="No asks match">
        <p>Try another filter.</p>
      </EmptyState>,
    );
    expect(screen.getByRole("heading", { level: 2, name: "No asks match" })).toBeInTheDocument();
    expect(screen.queryByRole("link")).not.toBeInTheDocument();
  });
});
