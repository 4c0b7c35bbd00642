import { Link } from "@remix-run/react";
import { askPath } from "~/slug";
import { plural } from "./format";
import { StatusBadge } from "./status-badge";

export type SimilarAskData = {
  id: number;
  slug: string;
  title: string;
  voteCount: number;
  status: { slug: string; name: string; color: string };
};

export function SimilarAsks({ asks, heading }: { asks: SimilarAskData[]; heading: string }) {
  if (!asks.length) return null;
  return (
    <section className="notice similar" aria-labelledby="similar-title">
      <h2 id="similar-title">{heading}</h2>
      <ul>
        {asks.map((a) => (
          <li key={a.id}>
            <Link to={askPath(a)} target="_blank" rel="noopener">
              {a.title}
              <span className="visually-hidden"> (opens in a new tab)</span>
            </Link>{" "}
            <StatusBadge status={a.status} /> <span className="muted">{plural(a.voteCount, "vote")}</span>
          </li>
        ))}
      </ul>
      <p className="hint">
        If one of these is what you need, vote there: votes on one ask count for more than two asks.
      </p>
    </section>
  );
}
