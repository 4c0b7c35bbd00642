import { createRemixStub } from "@remix-run/testing";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import NewAsk from "~/routes/asks.new";

const countdown = {
  id: 31,
  slug: "a-90-day-countdown-for-change-of-channel-partner",
  title: "A 90-day countdown for Change of Channel Partner",
  voteCount: 12,
  status: { slug: "planned", name: "Planned", color: "#0969da" },
};

// The filing page with a stand-in action that answers as the real one does: close matches
// first, unless the partner confirmed; then "too many asks" once; then it files.
function renderFilingPage() {
  const received: Record<string, string>[] = [];
  let refusals = 1;
  const Stub = createRemixStub([
    {
      path: "/asks/new",
      Component: NewAsk,
      loader: () => ({ categories: [{ id: 1, name: "General" }] }),
      action: async ({ request }) => {
        const values = Object.fromEntries(await request.formData()) as Record<string, string>;
        received.push(values);
        if (values.confirmed !== "1") return { intent: "file", values, similar: [countdown] };
        if (refusals-- > 0) {
          const form = "You have filed many asks in a short time. Try again in 60 minutes.";
          return Response.json({ intent: "file", errors: { form }, values }, { status: 429 });
        }
        return { intent: "file", errors: { form: "Filed." }, values };
      },
    },
    { path: "/api/asks/similar", loader: () => ({ similar: [] }) },
  ]);
  render(<Stub initialEntries={["/asks/new"]} />);
  return received;
}

describe("filing an ask", () => {
  it("asks about close matches once: after a refused File anyway, the next try files without asking again", async () => {
    const received = renderFilingPage();
    await userEvent.type(await screen.findByLabelText("Title"), "Show the CoCP countdown");
    await userEvent.type(screen.getByLabelText("Description"), "Partners need the date.");
    await userEvent.selectOptions(screen.getByLabelText("Category"), "General");
    await userEvent.click(screen.getByRole("button", { name: "File ask" }));

    expect(await screen.findByRole("heading", { name: "Did you mean one of these?" })).toBeVisible();
    await userEvent.click(screen.getByRole("button", { name: "File anyway" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("You have filed many asks in a short time.");
    expect(screen.queryByRole("heading", { name: "Did you mean one of these?" })).not.toBeInTheDocument();
    expect(screen.getByLabelText("Title")).toHaveValue("Show the CoCP countdown");

    await userEvent.click(screen.getByRole("button", { name: "File ask" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Filed.");
    expect(received.map((r) => r.confirmed ?? "")).toEqual(["", "1", "1"]);
    expect(screen.queryByRole("heading", { name: "Did you mean one of these?" })).not.toBeInTheDocument();
  });
});
