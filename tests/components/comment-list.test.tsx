import { Outlet, useLoaderData } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { type CommentItem, CommentList, type CommentRefusal } from "~/components/comment-list";

const base = {
  authorProfileHidden: false,
  organization: null,
  organizationSlug: null,
  team: null,
  body: "",
  editedAt: null,
  deleted: false,
  isOfficial: false,
  hiddenAt: null,
  hiddenReason: null,
  mine: false,
  byTeam: false,
  authorBlocked: false,
};

// The thread as the ask page's loader hands it to a partner: bodies already rendered and sanitized.
const fromDell: CommentItem = {
  ...base,
  id: 11,
  authorId: 101,
  author: "Dana Whitfield",
  organization: "Dell",
  createdAt: "2021-05-20T11:15:00.000Z",
  bodyHtml: "<p>We asked for <strong>such a page</strong> months ago. &lt;script&gt;alert(1)&lt;/script&gt;</p>\n",
};
const hidden: CommentItem = {
  ...base,
  id: 12,
  authorId: 102,
  author: "Spam Bot",
  createdAt: "2021-05-21T09:00:00.000Z",
  bodyHtml: "",
  hiddenAt: "2021-05-21T10:00:00.000Z",
  hiddenReason: "Spam",
};
const deleted: CommentItem = {
  ...base,
  id: 13,
  authorId: 103,
  author: "Riley Chen",
  createdAt: "2021-05-22T09:00:00.000Z",
  bodyHtml: "",
  deleted: true,
};
const official: CommentItem = {
  ...base,
  id: 14,
  authorId: 104,
  author: "Morgan Lee",
  team: "Program team",
  byTeam: true,
  isOfficial: true,
  createdAt: "2021-07-24T09:00:00.000Z",
  editedAt: "2021-07-24T10:00:00.000Z",
  bodyHtml: '<p>The docs page is <a href="https://aka.ms/about-cpor">published</a>.</p>\n',
};
const mine: CommentItem = {
  ...base,
  id: 15,
  authorId: 105,
  author: "Sam Patel",
  organization: "Contoso",
  createdAt: "2021-07-25T09:00:00.000Z",
  body: "Thanks, **great**.",
  bodyHtml: "<p>Thanks, <strong>great</strong>.</p>\n",
  mine: true,
};

const partner = { canModerate: false, canMarkOfficial: false, canBlock: false };
const moderator = { canModerate: true, canMarkOfficial: true, canBlock: true };

type Props = {
  comments: CommentItem[];
  viewer: typeof partner;
  editingId?: number;
  edit?: { commentId?: number; body?: string; error?: string };
  refusal?: CommentRefusal;
};

function ThreadPage() {
  const props = useLoaderData<Props>();
  return <CommentList editingId={0} cancelTo="/asks/7-cpor" {...props} />;
}

async function renderThread(props: Props) {
  // Under a root route that, as the app's does, gives the reader's locale (a British English browser).
  const Stub = createRemixStub([
    {
      id: "root",
      path: "/",
      Component: Outlet,
      loader: () => ({ locale: "en-GB", timeZone: null }),
      children: [{ path: "asks/7-cpor", Component: ThreadPage, loader: () => props }],
    },
  ]);
  render(<Stub initialEntries={["/asks/7-cpor"]} />);
  return (await screen.findAllByRole("listitem")) as HTMLElement[];
}

describe("CommentList", () => {
  it("shows each comment's author, organization, date and the sanitized HTML it was given, as is", async () => {
    const [first] = await renderThread({ comments: [fromDell], viewer: partner });
    expect(first).toHaveTextContent("Dana Whitfield (Dell)· 20 May 2021");
    expect(within(first as HTMLElement).getByText("such a page", { selector: "strong" })).toBeVisible();
    // The escaped script is text to read, never an element.
    expect(first).toHaveTextContent("<script>alert(1)</script>");
    expect(first?.querySelector("script")).toBeNull();
    expect(first?.querySelector(".markdown")?.innerHTML).toBe(fromDell.bodyHtml);
  });

  it("keeps a hidden and a deleted comment's place in the thread without their text", async () => {
    const [shownHidden, shownDeleted] = await renderThread({ comments: [hidden, deleted], viewer: partner });
    expect(shownHidden).toHaveTextContent(/^Comment hidden by a moderator: Spam$/);
    expect(shownHidden).not.toHaveTextContent("Spam Bot");
    expect(shownDeleted).toHaveTextContent(/^Comment deleted\.$/);
    expect(shownDeleted).not.toHaveTextContent("Riley Chen");
  });

  it("shows moderators a hidden comment with why it is hidden, and a way to unhide it", async () => {
    const seen = { ...hidden, bodyHtml: "<p>Buy cheap watches</p>\n" };
    const [item] = await renderThread({ comments: [seen], viewer: moderator });
    expect(item).toHaveTextContent("Hidden from partners: Spam.");
    expect(item).toHaveTextContent("Buy cheap watches");
    expect(
      within(item as HTMLElement).getByRole("button", { name: "Unhide the comment by Spam Bot from 21 May 2021" }),
    ).toBeInTheDocument();
  });

  it("marks an official response and who on the team wrote it", async () => {
    const [item] = await renderThread({ comments: [official], viewer: partner });
    expect(item).toHaveTextContent("Morgan Lee· Program team· 24 Jul 2021· editedOfficial response");
    expect(within(item as HTMLElement).getByRole("link", { name: "published" })).toHaveAttribute(
      "href",
      "https://aka.ms/about-cpor",
    );
  });

  it("offers the author Edit and Delete, named for the comment they act on, and nobody else", async () => {
    const [others, own] = await renderThread({ comments: [fromDell, mine], viewer: partner });
    expect(within(others as HTMLElement).queryByRole("button")).not.toBeInTheDocument();
    const ownActions = within(own as HTMLElement);
    expect(ownActions.getByRole("link", { name: "Edit the comment by Sam Patel from 25 Jul 2021" })).toHaveAttribute(
      "href",
      "/asks/7-cpor?edit=15#comment-15",
    );
    expect(ownActions.getByRole("button", { name: "Delete the comment by Sam Patel from 25 Jul 2021" })).toBeVisible();
  });

  it("opens the author's comment for editing with its source, or with what they typed and why it was refused", async () => {
    await renderThread({ comments: [mine], viewer: partner, editingId: 15 });
    expect(screen.getByLabelText("Edit comment")).toHaveValue("Thanks, **great**.");
    expect(screen.getByRole("link", { name: "Cancel" })).toHaveAttribute("href", "/asks/7-cpor");
  });

  it("keeps a refused edit's text and puts the message next to it", async () => {
    const edit = { commentId: 15, body: " ", error: "Write a comment before posting." };
    await renderThread({ comments: [mine], viewer: partner, editingId: 15, edit });
    const box = screen.getByLabelText("Edit comment");
    expect(box).toHaveValue(" ");
    expect(box).toBeInvalid();
    expect(box).toHaveAccessibleDescription(/Write a comment before posting\.$/);
  });

  it("shows a refused moderation at the comment it was about, with the reason's message under the field", async () => {
    const refusal = { commentId: 11, reasonError: "Say why the comment is hidden." };
    const [item] = await renderThread({ comments: [fromDell, official], viewer: moderator, refusal });
    const reason = within(item as HTMLElement).getByLabelText("Reason for hiding");
    expect(reason).toBeVisible();
    expect(reason).toHaveAccessibleDescription("Say why the comment is hidden.");
    expect(screen.getAllByLabelText("Reason for hiding")[1]).not.toBeVisible();
  });

  it("says why marking a partner's comment official was refused, at that comment", async () => {
    const refusal = { commentId: 11, error: "Only a team member's comment can be an official response." };
    const [item] = await renderThread({ comments: [fromDell], viewer: moderator, refusal });
    expect(within(item as HTMLElement).getByRole("alert")).toHaveTextContent(
      "Only a team member's comment can be an official response.",
    );
  });
});
