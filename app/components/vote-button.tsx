import { Link, useFetcher, useLocation } from "@remix-run/react";
import { plural } from "./format";

type VoteButtonProps = {
  voteCount: number;
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
export function VoteButton({ voteCount, voted, canVote, signedIn, closedReason, ...props }: VoteButtonProps) {
  const fetcher = useFetcher<VoteReply>();
  const location = useLocation();
  const pending = fetcher.formData?.get("intent");
  const shownVoted = pending ? pending === "vote" : voted;
  const shownCount = pending ? voteCount + (shownVoted === voted ? 0 : shownVoted ? 1 : -1) : voteCount;
  const error = fetcher.state === "idle" ? (fetcher.data?.errors?.form ?? props.error) : undefined;
  return (
    <div className="vote-box">
      <span className="count" aria-live="polite" aria-atomic="true">
        <span className="visually-hidden">{plural(shownCount, "vote")}</span>
        <span aria-hidden="true">{shownCount}</span>
      </span>
      <span className="muted" aria-hidden="true">
        {shownCount === 1 ? "vote" : "votes"}
      </span>
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
