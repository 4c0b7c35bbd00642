import { Link, useFetcher, useLocation } from "@remix-run/react";
import { askPath } from "~/slug";
import { plural } from "./format";

type VoteButtonProps = {
  voteCount: number;
  // Imported legacy votes counted in voteCount whose voters are unknown.
  extraVotes?: number;
  voted: boolean;
  canVote: boolean;
  signedIn: boolean;
  closedReason?: string;
  error?: string;
};

// What the ask page's action answers when it refuses a vote.
type VoteReply = { errors?: { form?: string } };

// A plain form POST without JavaScript; with it, the count moves at once and
// the page's revalidated data corrects it if the server says otherwise.
function useVote(voteCount: number, voted: boolean) {
  const fetcher = useFetcher<VoteReply>();
  const pending = fetcher.formData?.get("intent");
  const shownVoted = pending ? pending === "vote" : voted;
  const shownCount = pending ? voteCount + (shownVoted === voted ? 0 : shownVoted ? 1 : -1) : voteCount;
  return { fetcher, shownVoted, shownCount };
}

export function VoteButton({
  voteCount,
  extraVotes = 0,
  voted,
  canVote,
  signedIn,
  closedReason,
  ...props
}: VoteButtonProps) {
  const { fetcher, shownVoted, shownCount } = useVote(voteCount, voted);
  const location = useLocation();
  const error = fetcher.state === "idle" ? (fetcher.data?.errors?.form ?? props.error) : undefined;
  return (
    <div className="vote-box">
      <VoteCount count={shownCount} extraVotes={extraVotes} />
      {shownVoted ? (
        <fetcher.Form method="post" preventScrollReset>
          <button type="submit" name="intent" value="unvote" className="secondary">
            Retract vote
          </button>
        </fetcher.Form>
      ) : !canVote ? (
        <p className="hint">{closedReason ?? "Voting is closed."}</p>
      ) : !signedIn ? (
        <p className="hint">
          <Link to={`/signin?redirectTo=${encodeURIComponent(location.pathname)}`}>Sign in to vote</Link>
        </p>
      ) : (
        <fetcher.Form method="post" preventScrollReset>
          <button type="submit" name="intent" value="vote">
            Vote
          </button>
        </fetcher.Form>
      )}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

// The count, read out whenever it changes; the box's own "votes" label is for the eye only.
function VoteCount({ count, extraVotes = 0 }: { count: number; extraVotes?: number }) {
  return (
    <>
      <span className="count" aria-live="polite" aria-atomic="true">
        <span className="visually-hidden">
          {plural(count, "vote")}
          {extraVotes > 0 ? `, ${extraVotes} of them imported without voter names` : ""}
        </span>
        <span aria-hidden="true">{count}</span>
      </span>
      <span className="muted" aria-hidden="true">
        {count === 1 ? "vote" : "votes"}
      </span>
    </>
  );
}

type ListVoteButtonProps = {
  ask: { id: number; slug: string; title: string; voteCount: number };
  voted: boolean;
  // The ask's status takes votes.
  open: boolean;
  // Signed in, allowed to vote, and the ask's status takes votes.
  canVote: boolean;
  signedIn: boolean;
};

// A list row's vote toggle. It posts to the ask's page with the list's own address, so that without
// JavaScript the answer lands back on this row of this list page; with it, the count moves at once.
export function ListVoteButton({ ask, voted, open, canVote, signedIn }: ListVoteButtonProps) {
  const { fetcher, shownVoted, shownCount } = useVote(ask.voteCount, voted);
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  const error = fetcher.state === "idle" ? fetcher.data?.errors?.form : undefined;
  return (
    <div className="vote-box compact">
      <VoteCount count={shownCount} />
      {!signedIn ? (
        // A closed ask offers no vote, to visitors either.
        open ? (
          <Link to={`/signin?redirectTo=${encodeURIComponent(here)}`}>
            Vote<span className="visually-hidden"> for {ask.title}: sign in first</span>
          </Link>
        ) : null
      ) : canVote || shownVoted ? (
        <fetcher.Form method="post" action={askPath(ask)} preventScrollReset>
          <input type="hidden" name="returnTo" value={here} />
          <button
            type="submit"
            name="intent"
            value={shownVoted ? "unvote" : "vote"}
            aria-pressed={shownVoted}
            className={shownVoted ? "list-vote" : "list-vote secondary"}
          >
            Vote<span className="visually-hidden"> for {ask.title}</span>
          </button>
        </fetcher.Form>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
