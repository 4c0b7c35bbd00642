import { useLoaderData } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { StatusUpdateForm, type StatusUpdateFormProps } from "~/components/status-update-form";

const choices = {
  action: "/asks/7-cpor/status",
  statuses: [
    { id: 1, name: "Open" },
    { id: 3, name: "Planned" },
    { id: 5, name: "Completed" },
  ],
  teams: [
    { id: 20, name: "EPX" },
    { id: 21, name: "Program team" },
  ],
  minDate: "2021-04-01",
  maxDate: "2026-03-03",
};

const fresh: StatusUpdateFormProps = {
  ...choices,
  defaults: { statusId: null, teamId: 21, note: "", aboutDate: "2026-03-02", links: [] },
};

function FormPage() {
  return <StatusUpdateForm {...useLoaderData<StatusUpdateFormProps>()} />;
}

async function renderForm(props: StatusUpdateFormProps) {
  const Stub = createRemixStub([{ path: "/asks/7-cpor/status", Component: FormPage, loader: () => props }]);
  render(<Stub initialEntries={["/asks/7-cpor/status"]} />);
  return screen.findByRole("button", { name: /status update/ });
}

describe("StatusUpdateForm", () => {
  it("starts a fresh update from the member's team and today, with three empty link rows", async () => {
    expect(await renderForm(fresh)).toHaveTextContent("Record status update");
    expect(screen.getByLabelText("New status")).toHaveDisplayValue("Choose a status");
    expect(screen.getByLabelText("Team")).toHaveDisplayValue("Program team");
    expect(screen.getByLabelText("Note")).toHaveValue("");
    expect(screen.getByLabelText("Date this update is about")).toHaveValue("2026-03-02");
    expect(screen.getByLabelText("Date this update is about")).toHaveAttribute("min", "2021-04-01");
    expect(screen.getAllByLabelText(/^Link \d URL$/)).toHaveLength(3);
    expect(screen.getByLabelText("Link 3 title")).toHaveValue("");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("puts each refusal under its own field, and keeps everything that was typed", async () => {
    await renderForm({
      ...fresh,
      values: {
        statusId: "5",
        teamId: "",
        note: "Completed: a page now describes CPOR.",
        aboutDate: "2021-02-30",
        "links.0.url": "javascript:alert(1)",
        "links.0.title": "About CPOR",
        "links.3.title": "Release notes",
      },
      errors: {
        teamId: "Choose a team.",
        aboutDate: "Enter a real date as YYYY-MM-DD.",
        "links.0.url": "Enter a full web address starting with https:// or http://.",
        "links.3.url": "Enter the link's URL.",
      },
    });
    expect(screen.getByRole("alert")).toHaveTextContent("Please correct the fields marked below.");
    expect(screen.getByLabelText("New status")).toHaveDisplayValue("Completed");
    expect(screen.getByLabelText("New status")).toBeValid();
    expect(screen.getByLabelText("Team")).toBeInvalid();
    expect(screen.getByLabelText("Team")).toHaveAccessibleDescription("Choose a team.");
    expect(screen.getByLabelText("Note")).toHaveValue("Completed: a page now describes CPOR.");
    const date = screen.getByLabelText("Date this update is about");
    expect(date).toHaveAccessibleDescription(/Enter a real date as YYYY-MM-DD\.$/);
    expect(screen.getByLabelText("Link 1 URL")).toHaveValue("javascript:alert(1)");
    expect(screen.getByLabelText("Link 1 URL")).toHaveAccessibleDescription(
      "Enter a full web address starting with https:// or http://.",
    );
    expect(screen.getByLabelText("Link 1 title")).toHaveValue("About CPOR");
    // A fourth row was in use, so it is shown with its message.
    expect(screen.getByLabelText("Link 4 title")).toHaveValue("Release notes");
    expect(screen.getByLabelText("Link 4 URL")).toHaveAccessibleDescription("Enter the link's URL.");
  });

  it("edits an existing update: its own values, a save button and a way back", async () => {
    const button = await renderForm({
      ...choices,
      defaults: {
        statusId: 5,
        teamId: 20,
        note: "Done.",
        aboutDate: "2021-07-23",
        links: [{ url: "https://aka.ms/about-cpor", title: "About CPOR" }],
      },
      updateId: 42,
      cancelTo: "/asks/7-cpor#status-details",
    });
    expect(button).toHaveTextContent("Save status update");
    expect(button).toHaveAttribute("value", "edit");
    expect(screen.getByLabelText("New status")).toHaveDisplayValue("Completed");
    expect(screen.getByLabelText("Team")).toHaveDisplayValue("EPX");
    expect(screen.getByLabelText("Link 1 URL")).toHaveValue("https://aka.ms/about-cpor");
    expect(screen.getByRole("link", { name: "Cancel" })).toHaveAttribute("href", "/asks/7-cpor#status-details");
  });
});
