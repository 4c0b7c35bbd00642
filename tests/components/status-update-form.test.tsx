import { useLoaderData } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { renderToString } from "react-dom/server";
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
  const button = await screen.findByRole("button", { name: /status update/ });
  // The extra link rows fold away once the form's effect has run; on a busy machine that is a tick later.
  await waitFor(() => expect(screen.queryByText("More links")).not.toBeInTheDocument());
  return button;
}

// The page as the server sends it, before any JavaScript runs.
function renderWithoutJavaScript(props: StatusUpdateFormProps) {
  const Stub = createRemixStub([{ id: "form", path: "/asks/7-cpor/status", Component: FormPage, loader: () => props }]);
  const hydrationData = { loaderData: { form: props } };
  document.body.innerHTML = renderToString(
    <Stub initialEntries={["/asks/7-cpor/status"]} hydrationData={hydrationData} />,
  );
}

describe("StatusUpdateForm", () => {
  it("starts a fresh update from the member's team and today, with one empty link row", async () => {
    expect(await renderForm(fresh)).toHaveTextContent("Record status update");
    expect(screen.getByLabelText("New status")).toHaveDisplayValue("Choose a status");
    expect(screen.getByLabelText("Team")).toHaveDisplayValue("Program team");
    expect(screen.getByLabelText("Note")).toHaveValue("");
    expect(screen.getByLabelText("Date this update is about")).toHaveValue("2026-03-02");
    expect(screen.getByLabelText("Date this update is about")).toHaveAttribute("min", "2021-04-01");
    expect(screen.getAllByLabelText(/^Link \d URL$/)).toHaveLength(1);
    expect(screen.getByLabelText("Link 1 title")).toHaveValue("");
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

  it("adds the link rows one at a time, up to five, taking the keyboard to each new row", async () => {
    const user = userEvent.setup();
    await renderForm(fresh);
    await user.type(screen.getByLabelText("Link 1 URL"), "https://aka.ms/about-cpor");
    for (const row of [2, 3, 4, 5]) {
      expect(screen.queryByLabelText(`Link ${row} URL`)).not.toBeInTheDocument();
      await user.click(screen.getByRole("button", { name: "Add another link" }));
      expect(screen.getByLabelText(`Link ${row} URL`)).toHaveFocus();
      expect(screen.getByLabelText(`Link ${row} title`)).toHaveValue("");
    }
    expect(screen.queryByRole("button", { name: "Add another link" })).not.toBeInTheDocument();
    expect(screen.getAllByLabelText(/^Link \d URL$/)).toHaveLength(5);
    // Adding rows keeps what was typed in the earlier ones.
    expect(screen.getByLabelText("Link 1 URL")).toHaveValue("https://aka.ms/about-cpor");
    expect(screen.queryByText("More links")).not.toBeInTheDocument();
  });

  it("shows every filled row up to the last, with its value and message, and only then the button", async () => {
    await renderForm({
      ...fresh,
      values: { "links.2.url": "https://example.com/notes" },
      errors: { "links.2.title": "Give the link a title." },
    });
    expect(screen.getAllByLabelText(/^Link \d URL$/)).toHaveLength(3);
    expect(screen.getByLabelText("Link 3 URL")).toHaveValue("https://example.com/notes");
    expect(screen.getByLabelText("Link 3 title")).toHaveAccessibleDescription("Give the link a title.");
    expect(screen.getByRole("button", { name: "Add another link" })).toBeInTheDocument();
  });

  it("without JavaScript, keeps the other four rows in a closed More links disclosure", () => {
    renderWithoutJavaScript(fresh);
    expect(screen.queryByRole("button", { name: "Add another link" })).not.toBeInTheDocument();
    const more = screen.getByText("More links").closest("details");
    expect(more).not.toHaveAttribute("open");
    expect(screen.getByLabelText("Link 1 URL").closest("details")).toBeNull();
    const inside = within(more as HTMLElement);
    for (const row of [2, 3, 4, 5]) {
      expect(inside.getByLabelText(`Link ${row} URL`)).toHaveAttribute("name", `links.${row - 1}.url`);
      expect(inside.getByLabelText(`Link ${row} title`)).toHaveAttribute("name", `links.${row - 1}.title`);
    }
  });

  it("without JavaScript, shows filled rows outside the disclosure with their values and messages", () => {
    renderWithoutJavaScript({
      ...fresh,
      values: { "links.0.url": "https://aka.ms/about-cpor", "links.0.title": "About CPOR", "links.1.url": "ftp://x" },
      errors: { "links.1.url": "Enter a full web address starting with https:// or http://." },
    });
    for (const row of [1, 2]) expect(screen.getByLabelText(`Link ${row} URL`).closest("details")).toBeNull();
    expect(screen.getByLabelText("Link 1 title")).toHaveValue("About CPOR");
    expect(screen.getByLabelText("Link 2 URL")).toHaveValue("ftp://x");
    expect(screen.getByLabelText("Link 2 URL")).toHaveAccessibleDescription(
      "Enter a full web address starting with https:// or http://.",
    );
    const more = screen.getByText("More links").closest("details");
    expect(within(more as HTMLElement).getAllByLabelText(/^Link \d URL$/)).toHaveLength(3);
    expect(within(more as HTMLElement).getByLabelText("Link 3 URL")).toBeInTheDocument();
  });
});
