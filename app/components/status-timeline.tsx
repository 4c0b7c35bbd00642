import { Form, Link } from "@remix-run/react";
import { formatDate } from "./format";
import { ResolutionLink } from "./resolution-link";
import { StatusBadge } from "./status-badge";

export type StatusUpdateItem = {
  id: number;
  aboutDate: string;
  recordedAt: string;
  editedAt: string | null;
  team: string | null;
  author: string;
  fromStatus: string | null;
  toStatus: { slug: string; name: string; color: string };
  noteHtml: string;
  links: { url: string; title: string }[];
  // The viewer wrote this update and may still triage: offer Edit and Remove.
  mine?: boolean;
};

// "Status details": the dated history of every decision on an ask, oldest first.
// statusPath (statusUpdatePath(ask)) is where the viewer's own updates are edited and removed.
export function StatusTimeline({ updates, statusPath }: { updates: StatusUpdateItem[]; statusPath?: string }) {
  return (
    <section aria-labelledby="status-details">
      <h2 id="status-details">Status details</h2>
      {updates.length ? (
        <ol className="timeline">
          {updates.map((u, i) => {
            // Compared with the entry above rather than the stored from-status, so
            // history entered later (back-dated between two entries) still reads right.
            const previous = i > 0 ? updates[i - 1]?.toStatus.name : u.fromStatus;
            const recorded = formatDate(u.recordedAt);
            const context = ` your status update of ${u.aboutDate}${sameDay(updates, u) ? ` (${ordinal(updates, u)})` : ""}`;
            return (
              <li key={u.id} id={`status-update-${u.id}`}>
                <p className="when">
                  <time dateTime={u.aboutDate}>{u.aboutDate}</time>
                  {recorded !== u.aboutDate ? (
                    <span className="muted">
                      {" "}
                      (recorded <time dateTime={u.recordedAt}>{recorded}</time>)
                    </span>
                  ) : null}{" "}
                  · {u.team ?? u.author}
                  {previous !== u.toStatus.name ? (
                    <>
                      {" "}
                      · <StatusBadge status={u.toStatus} />
                    </>
                  ) : null}
                  {u.editedAt ? <span className="muted"> · edited</span> : null}
                </p>
                {/* Sanitized on the server by renderMarkdown. */}
                <div className="markdown" dangerouslySetInnerHTML={{ __html: u.noteHtml }} />
                {u.links.length ? (
                  <p>
                    Resolution link:{" "}
                    {u.links.map((l, j) => (
                      <span key={l.url}>
                        {j > 0 ? ", " : null}
                        <ResolutionLink link={l} />
                      </span>
                    ))}
                  </p>
                ) : null}
                {u.mine && statusPath ? (
                  <div className="actions">
                    <Link to={`${statusPath}?update=${u.id}`}>
                      Edit<span className="visually-hidden">{context}</span>
                    </Link>
                    <Form method="post" action={statusPath}>
                      <input type="hidden" name="updateId" value={u.id} />
                      <button type="submit" name="intent" value="remove" className="link-button">
                        Remove<span className="visually-hidden">{context}</span>
                      </button>
                    </Form>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ol>
      ) : (
        <p className="muted">No status updates yet. A program team will triage this ask.</p>
      )}
    </section>
  );
}

function sameDay(updates: StatusUpdateItem[], u: StatusUpdateItem): boolean {
  return updates.filter((o) => o.mine && o.aboutDate === u.aboutDate).length > 1;
}

// "2nd" of the viewer's updates about that day, so each Edit and Remove link has its own name.
function ordinal(updates: StatusUpdateItem[], u: StatusUpdateItem): string {
  const n = updates.filter((o) => o.mine && o.aboutDate === u.aboutDate).indexOf(u) + 1;
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix} that day`;
}
