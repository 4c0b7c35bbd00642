import { useLoaderData } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { type OrganizationStyle, type Person, PersonName } from "~/components/person-name";

const raj: Person = {
  id: 12,
  displayName: "Raj Mehta",
  profileHidden: false,
  organization: { name: "Dell", slug: "dell" },
};

type NameData = { person: Person; organization?: OrganizationStyle };

function NamePage() {
  const { person, organization } = useLoaderData<NameData>();
  return <PersonName person={person} organization={organization} />;
}

// As on every page: the name comes from a loader, and PersonName's links need the router.
function renderName(person: Person, organization?: OrganizationStyle) {
  const Stub = createRemixStub([{ path: "/", Component: NamePage, loader: () => ({ person, organization }) }]);
  const { container } = render(<Stub initialEntries={["/"]} />);
  return container;
}

describe("PersonName", () => {
  it("links the name to the person's page and the organization to its page", async () => {
    const shown = renderName(raj);
    expect(await screen.findByRole("link", { name: "Raj Mehta" })).toHaveAttribute("href", "/people/12-raj-mehta");
    expect(screen.getByRole("link", { name: "Dell" })).toHaveAttribute("href", "/orgs/dell");
    expect(shown).toHaveTextContent(/^Raj Mehta \(Dell\)$/);
  });

  it("shows the name as plain text when the person hid their profile, still linking the organization", async () => {
    const shown = renderName({ ...raj, profileHidden: true });
    expect(await screen.findByRole("link", { name: "Dell" })).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Raj Mehta" })).toBeNull();
    expect(shown).toHaveTextContent(/^Raj Mehta \(Dell\)$/);
  });

  it("writes the organization as each page does, or leaves it out", async () => {
    const row = renderName(raj, "comma");
    await within(row).findByRole("link", { name: "Raj Mehta" });
    expect(row).toHaveTextContent(/^Raj Mehta, Dell$/);

    const bare = renderName(raj, "none");
    await within(bare).findByRole("link", { name: "Raj Mehta" });
    expect(bare).toHaveTextContent(/^Raj Mehta$/);
  });

  it("names an organization without a page address in plain text, and a person without one alone", async () => {
    const unlinked = renderName({ ...raj, organization: { name: "Contoso", slug: null } });
    await screen.findByRole("link", { name: "Raj Mehta" });
    expect(screen.queryByRole("link", { name: "Contoso" })).toBeNull();
    expect(unlinked).toHaveTextContent(/^Raj Mehta \(Contoso\)$/);
  });
});
