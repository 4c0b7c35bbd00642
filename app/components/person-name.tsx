import { Link } from "@remix-run/react";
import { organizationPath, personPath } from "~/slug";

export type PersonOrganization = { name: string; slug: string | null };

export type Person = {
  id: number;
  displayName: string;
  // The person chose to have no profile page: the name shows without a link.
  profileHidden: boolean;
  organization?: PersonOrganization | null;
};

// The columns an ask, comment or status update row carries about its author, as the models
// select them; `authorOf` turns them into the Person that PersonName shows.
export type AuthorColumns = {
  authorId: number;
  author: string;
  authorProfileHidden: boolean;
  organization?: string | null;
  organizationSlug?: string | null;
};

export function authorOf(row: AuthorColumns): Person {
  return {
    id: row.authorId,
    displayName: row.author,
    profileHidden: row.authorProfileHidden,
    organization: row.organization ? { name: row.organization, slug: row.organizationSlug ?? null } : null,
  };
}

// How the organization follows the name, as each page already wrote it: "Raj Mehta (Dell)" in
// headers and threads, "Raj Mehta, Dell" in list rows, or not at all.
export type OrganizationStyle = "parens" | "comma" | "none";

// A person's name linking to their page (plain text when they hid it), then their organization
// linking to its page. One element, so a flex meta line keeps the name and organization together.
export function PersonName({
  person,
  organization = "parens",
  strong = false,
}: {
  person: Person;
  organization?: OrganizationStyle;
  strong?: boolean;
}) {
  const name = person.profileHidden ? person.displayName : <Link to={personPath(person)}>{person.displayName}</Link>;
  const org = organization === "none" ? null : person.organization;
  const orgName = org ? org.slug ? <Link to={organizationPath({ slug: org.slug })}>{org.name}</Link> : org.name : null;
  return (
    <span className="person-name">
      {strong ? <strong>{name}</strong> : name}
      {orgName ? organization === "comma" ? <>, {orgName}</> : <> ({orgName})</> : null}
    </span>
  );
}
