import { useLoaderData } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { VoteButton } from "~/components/vote-button";

function VotePage() {
  const data = useLoaderData<{ votes: number; voted: boolean }>();
  return <VoteButton voteCount={data.votes} voted={data.voted} canVote signedIn />;
}

function ClosedAsk() {
  return (
    <VoteButton
      voteCount={6}
      voted={false}
      canVote={false}
      signedIn
      closedReason="Voting is closed: this ask is completed."
    />
  );
}

function ImportedAsk() {
  return <VoteButton voteCount={7} extraVotes={4} voted={false} canVote signedIn />;
}

function SignedOut() {
  return <VoteButton voteCount={0} voted={false} canVote signedIn={false} />;
}

// A stand-in ask page: the loader holds the count, the action decides the vote's fate
// once the test releases it, so the optimistic state can be seen in between.
function renderVotePage(accept: boolean) {
  let release = () => {};
  const released = new Promise<void>((r) => {
    release = r;
  });
  const state = { votes: 4, voted: false };
  const Stub = createRemixStub([
    {
      path: "/asks/1-x",
      Component: VotePage,
      loader: () => ({ ...state }),
      action: async () => {
        await released;
        if (!accept) return Response.json({ errors: { form: "This ask is closed to new votes." } }, { status: 409 });
        state.votes += 1;
        state.voted = true;
        return null;
      },
    },
  ]);
  render(<Stub initialEntries={["/asks/1-x"]} />);
  return release;
}

describe("VoteButton", () => {
  it("shows the new count at once and keeps it when the server agrees", async () => {
    const release = renderVotePage(true);
    await userEvent.click(await screen.findByRole("button", { name: "Vote" }));
    expect(screen.getByText("5 votes")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Retract vote" })).toBeInTheDocument();
    release();
    await waitFor(() => expect(screen.getByRole("button", { name: "Retract vote" })).toBeInTheDocument());
    expect(screen.getByText("5 votes")).toBeInTheDocument();
  });

  it("puts the count back and says why when the vote is refused", async () => {
    const release = renderVotePage(false);
    await userEvent.click(await screen.findByRole("button", { name: "Vote" }));
    expect(screen.getByText("5 votes")).toBeInTheDocument();
    release();
    expect(await screen.findByRole("alert")).toHaveTextContent("This ask is closed to new votes.");
    expect(screen.getByText("4 votes")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Vote" })).toBeInTheDocument();
  });

  it("says in the count's accessible text how many votes were imported without voter names", async () => {
    const Stub = createRemixStub([{ path: "/", Component: ImportedAsk }]);
    render(<Stub />);
    expect(await screen.findByText("7 votes, 4 of them imported without voter names")).toBeInTheDocument();
  });

  it("explains a closed ask instead of offering a vote", async () => {
    const Stub = createRemixStub([{ path: "/", Component: ClosedAsk }]);
    render(<Stub />);
    expect(await screen.findByText("Voting is closed: this ask is completed.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Vote" })).not.toBeInTheDocument();
  });

  it("sends a signed-out visitor to sign in and back", async () => {
    const Stub = createRemixStub([{ path: "/asks/9-rebates", Component: SignedOut }]);
    render(<Stub initialEntries={["/asks/9-rebates"]} />);
    expect(await screen.findByRole("link", { name: "Sign in to vote" })).toHaveAttribute(
      "href",
      "/signin?redirectTo=%2Fasks%2F9-rebates",
    );
  });
});
