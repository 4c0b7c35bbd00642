import { useLoaderData } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ThemeSwitch, usePendingTheme } from "~/components/theme-switch";
import { parseTheme } from "~/validation/theme-rules";

function Page() {
  const { theme } = useLoaderData<{ theme: ReturnType<typeof parseTheme> }>();
  const pending = usePendingTheme();
  return (
    <>
      <p>Showing {pending ?? theme}</p>
      <ThemeSwitch current={theme} />
    </>
  );
}

function RefusedSwitch() {
  return <ThemeSwitch current="system" error="Choose System, Light or Dark." />;
}

// A page with the switch, whose current theme comes from its loader as the root's does,
// and a stand-in /theme that records what the form sent and then sends the reader back.
function renderSwitch(options: { hold?: Promise<void> } = {}) {
  const state = { theme: parseTheme("light") };
  const posted: Record<string, string>[] = [];
  const Stub = createRemixStub([
    { path: "/roadmap", Component: Page, loader: () => ({ ...state }) },
    {
      path: "/theme",
      action: async ({ request }) => {
        const form = Object.fromEntries(await request.formData()) as Record<string, string>;
        posted.push(form);
        await options.hold;
        state.theme = parseTheme(form.theme);
        return new Response(null, { status: 302, headers: { Location: String(form.redirectTo) } });
      },
    },
  ]);
  render(<Stub initialEntries={["/roadmap?category=3"]} />);
  return posted;
}

describe("ThemeSwitch", () => {
  it("offers the three themes and marks the current one as pressed", async () => {
    renderSwitch();
    const group = await screen.findByRole("group", { name: "Theme" });
    expect(group).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Light" })).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByRole("button", { name: "System" })).toHaveAttribute("aria-pressed", "false");
    expect(screen.getByRole("button", { name: "Dark" })).toHaveAttribute("aria-pressed", "false");
  });

  it("posts the choice with the page to come back to, and shows it as soon as it is sent", async () => {
    let release = () => {};
    const hold = new Promise<void>((r) => {
      release = r;
    });
    const posted = renderSwitch({ hold });
    await userEvent.click(await screen.findByRole("button", { name: "Dark" }));
    expect(await screen.findByText("Showing dark")).toBeInTheDocument();
    expect(posted).toEqual([{ redirectTo: "/roadmap?category=3", theme: "dark" }]);
    release();
    await waitFor(() => expect(screen.getByRole("button", { name: "Dark" })).toHaveAttribute("aria-pressed", "true"));
    expect(screen.getByRole("button", { name: "Light" })).toHaveAttribute("aria-pressed", "false");
  });

  it("says why a choice was refused", async () => {
    const Stub = createRemixStub([{ path: "/theme", Component: RefusedSwitch }]);
    render(<Stub initialEntries={["/theme"]} />);
    expect(await screen.findByRole("alert")).toHaveTextContent("Choose System, Light or Dark.");
    expect(screen.getByRole("group", { name: "Theme" })).toHaveAccessibleDescription("Choose System, Light or Dark.");
  });
});
