import { useLoaderData } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { render, screen } from "@testing-library/react";
import type { ComponentProps } from "react";
import { describe, expect, it } from "vitest";
import { TeamTools } from "~/components/team-tools";

const ask = { id: 7, hiddenAt: null, commentsLockedAt: null, duplicateOf: null };

type Props = Partial<ComponentProps<typeof TeamTools>>;

function ToolsPage() {
  return <TeamTools ask={ask} canMerge canModerate statusUpdate={<p>The form</p>} {...useLoaderData<Props>()} />;
}

function renderTools(props: Props = {}) {
  const Stub = createRemixStub([{ path: "/asks/7-cpor", Component: ToolsPage, loader: () => props }]);
  render(<Stub initialEntries={["/asks/7-cpor"]} />);
}

const panel = (name: string) => screen.getByText(name, { selector: "summary" }).closest("details");

describe("TeamTools", () => {
  it("folds status update, merge and moderation into panels that start closed", async () => {
    renderTools();
    await screen.findByText("Post a status update");
    for (const name of ["Post a status update", "Merge", "Moderate"]) expect(panel(name)).not.toHaveAttribute("open");
  });

  it("opens the merge panel with the asks a title search found, as numbered choices", async () => {
    renderTools({
      mergeSearch: { query: "countdown", candidates: [{ id: 12, title: "A CoCP countdown", status: "Open" }] },
    });
    await screen.findByText("Merge");
    expect(panel("Merge")).toHaveAttribute("open");
    expect(screen.getByRole("radio", { name: "#12 A CoCP countdown (Open)" })).not.toBeChecked();
    expect(screen.getByLabelText("Find the ask to merge into")).toHaveValue("countdown");
  });

  it("asks to confirm a merge into a closed ask, keeping the pick", async () => {
    renderTools({
      mergeSearch: { query: "cpor", candidates: [{ id: 1, title: "CPOR page", status: "Completed" }] },
      merge: { error: "That ask is Completed; confirm to merge into a closed ask.", target: "1", needsConfirm: true },
    });
    await screen.findByRole("alert");
    expect(screen.getByRole("alert")).toHaveTextContent("confirm to merge into a closed ask");
    expect(screen.getByRole("radio", { name: "#1 CPOR page (Completed)" })).toBeChecked();
    expect(screen.getByRole("checkbox", { name: "Merge into a closed ask" })).not.toBeChecked();
  });

  it("opens the moderation panel when hiding was refused", async () => {
    renderTools({ hideError: "Say why the ask is hidden." });
    await screen.findByText("Moderate");
    expect(panel("Moderate")).toHaveAttribute("open");
    expect(panel("Merge")).not.toHaveAttribute("open");
  });
});
