import { Form, useLoaderData } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { OrganizationChip, OrganizationField, type OrganizationFilterState } from "~/components/organization-field";

type Page = { value: string; state: OrganizationFilterState };

// As on the home list: the field sits in the GET filter form, the chip under it.
function ListPage() {
  const { value, state } = useLoaderData<Page>();
  return (
    <>
      <Form method="get">
        <OrganizationField value={value} state={state} />
      </Form>
      <OrganizationChip state={state} />
    </>
  );
}

function renderList(url: string, page: Page, suggestions: { name: string; slug: string }[] = []) {
  const Stub = createRemixStub([
    { path: "/", Component: ListPage, loader: () => page },
    { path: "/api/organizations", loader: () => Response.json({ organizations: suggestions }) },
  ]);
  render(<Stub initialEntries={[url]} />);
  return screen.findByRole("combobox", { name: "Organization" });
}

describe("OrganizationField", () => {
  it("keeps a name that finds nothing and says so next to the field", async () => {
    const field = await renderList("/?org=Nosuch", {
      value: "Nosuch",
      state: { chosen: null, unknown: true, via: "filed" },
    });
    expect(field).toHaveValue("Nosuch");
    expect(field).toHaveAttribute("aria-invalid", "true");
    expect(field).toHaveAccessibleDescription(
      "No organization is called “Nosuch”. Check the name, or pick one as you type.",
    );
    expect(screen.queryByRole("list", { name: "Organization filter" })).toBeNull();
  });

  it("offers the names the server suggests while one is typed", async () => {
    const field = await renderList("/", { value: "", state: { chosen: null, unknown: false, via: "filed" } }, [
      { name: "Dell", slug: "dell" },
      { name: "Dell Technologies", slug: "dell-technologies" },
    ]);
    await userEvent.type(field, "del");
    const list = document.getElementById(field.getAttribute("list") ?? "");
    await waitFor(() =>
      expect([...(list?.querySelectorAll("option") ?? [])].map((o) => o.value)).toEqual(["Dell", "Dell Technologies"]),
    );
  });
});

describe("OrganizationChip", () => {
  it("says what the filter keeps and links to the same list without it, from the first page", async () => {
    await renderList("/?sort=top&org=dell&page=2", {
      value: "Dell",
      state: { chosen: { name: "Dell", slug: "dell" }, unknown: false, via: "wants" },
    });
    const chips = screen.getByRole("list", { name: "Organization filter" });
    expect(within(chips).getByRole("link", { name: "Remove filter: Filed or voted on by Dell" })).toHaveAttribute(
      "href",
      "/?sort=top",
    );
    expect(screen.getByRole("combobox", { name: "Organization" })).toHaveValue("Dell");
  });
});
