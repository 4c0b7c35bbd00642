import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { Link, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { type Column, DataTable } from "~/components/data-table";
import { EmptyState } from "~/components/empty-state";
import { Field } from "~/components/field";
import { QueryTabs } from "~/components/query-tabs";
import styleguideHref from "~/styleguide.css";

export const meta: MetaFunction = () => [{ title: "Styleguide · Asklog" }];

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styleguideHref }];

const sections = [
  { id: "tokens", title: "Tokens" },
  { id: "button", title: "Button" },
  { id: "badge", title: "Badge" },
  { id: "card", title: "Card" },
  { id: "tab-bar", title: "Tab bar" },
  { id: "disclosure", title: "Disclosure" },
  { id: "toast", title: "Toast" },
  { id: "empty-state", title: "Empty state" },
  { id: "data-table", title: "Data table" },
  { id: "field", title: "Form field" },
] as const;

type SectionId = (typeof sections)[number]["id"];

const colorTokens = [
  ["bg", "Page"],
  ["bg-subtle", "Header, footer, quiet panels"],
  ["bg-raised", "Cards and menus"],
  ["text", "Text"],
  ["text-muted", "Secondary text (4.5:1 on every background)"],
  ["border", "Card and table lines"],
  ["control-border", "Inputs and secondary buttons (3:1)"],
  ["link", "Links"],
  ["accent", "Primary buttons, the current tab"],
  ["accent-soft", "Current page in the header, banners"],
  ["danger", "Errors"],
  ["success", "Saved, resolved, official"],
  ["mark", "Search matches"],
  ["focus", "Focus ring"],
] as const;

type TeamRow = { id: number; name: string; members: number; asks: number };

const teams: TeamRow[] = [
  { id: 1, name: "Assignment Team", members: 4, asks: 12 },
  { id: 2, name: "EPX", members: 7, asks: 31 },
  { id: 3, name: "Partner Support Team", members: 3, asks: 9 },
];

const teamColumns: Column<TeamRow>[] = [
  { header: "Team", cell: (t) => t.name, rowHeader: true },
  { header: "Members", cell: (t) => t.members, numeric: true },
  { header: "Asks", cell: (t) => t.asks, numeric: true },
  {
    header: "Actions",
    hideHeader: true,
    cell: (t) => (
      <Link to="/styleguide#data-table">
        Edit<span className="visually-hidden"> {t.name}</span>
      </Link>
    ),
  },
];

const exampleTabs = ["overview", "teams", "statuses"] as const;
const exampleTabLabels = { overview: "Overview", teams: "Teams", statuses: "Statuses" };

export default function Styleguide() {
  const [params] = useSearchParams();
  const tab = exampleTabs.find((t) => t === params.get("tab")) ?? "overview";
  return (
    <>
      <h1>Styleguide</h1>
      <p>
        The parts Asklog's pages are built from. Each is plain HTML with a class from <code>app/styles.css</code>, or a
        small component in <code>app/components/</code> where it does more than wrap a tag. Everything works without
        JavaScript, meets WCAG 2.2 AA in both themes (try the theme switch at the foot of the page), and keeps targets
        at least 24 pixels.
      </p>
      <nav aria-label="On this page">
        <ul className="styleguide-toc">
          {sections.map((s) => (
            <li key={s.id}>
              <a href={`#${s.id}`}>{s.title}</a>
            </li>
          ))}
        </ul>
      </nav>

      <Section id="tokens" usage={<TokensUsage />}>
        <h3>Colour</h3>
        <ul className="swatches">
          {colorTokens.map(([token, use]) => (
            <li key={token}>
              <span className="swatch" data-token={token} />
              <span>
                <code>--color-{token}</code>
                <br />
                <span className="muted">{use}</span>
              </span>
            </li>
          ))}
        </ul>
        <h3>Type</h3>
        <div className="type-scale">
          <p data-step="2xl">2xl · page titles</p>
          <p data-step="xl">xl · section headings</p>
          <p data-step="lg">lg · ask titles in lists</p>
          <p>base · body text, 1rem with a line height of 1.55</p>
          <p data-step="sm">sm · meta lines, hints, tables</p>
          <p data-step="xs">xs · badges</p>
        </div>
        <h3>Space, radius and shadow</h3>
        <ul className="space-scale">
          {[1, 2, 3, 4, 5, 6, 7].map((n) => (
            <li key={n}>
              <code>--space-{n}</code>
              <span data-space={n} />
            </li>
          ))}
        </ul>
        <div className="shapes">
          <div data-shape="sm">--radius-sm</div>
          <div data-shape="md">--radius, --shadow-sm</div>
          <div data-shape="lg">--radius-lg, --shadow-md</div>
        </div>
      </Section>

      <Section
        id="button"
        usage={
          <>
            <p>
              One primary button per form: the thing the reader came to do. <code>.secondary</code> for the others,{" "}
              <code>.link-button</code> for a form button that sits in text (Sign out, Delete), <code>.danger</code> for
              what cannot be undone. A link that starts something takes <code>.button</code>.
            </p>
            <pre>
              <code>{`<button type="submit">Post comment</button>
<button type="submit" className="secondary">Follow</button>
<button type="submit" className="link-button">Sign out</button>
<Link className="button" to="/asks/new">File an ask</Link>`}</code>
            </pre>
          </>
        }
      >
        <div className="actions">
          <button type="button">Primary</button>
          <button type="button" className="secondary">
            Secondary
          </button>
          <button type="button" className="danger">
            Delete for good
          </button>
          <button type="button" className="link-button">
            Link style
          </button>
          <Link className="button" to="/styleguide#button">
            Link as a button
          </Link>
          <button type="button" disabled>
            Disabled
          </button>
        </div>
      </Section>

      <Section
        id="badge"
        usage={
          <>
            <p>
              A status or a short label beside a title. Status colours are chosen by admins, who can only pick colours
              dark enough for white text (4.5:1), so a status badge keeps its colour in both themes.
              <code>.outline</code> is for labels that are not statuses.
            </p>
            <pre>
              <code>{`<StatusBadge status={ask.status} />
<span className="badge official-badge">Official response</span>
<span className="badge outline">Partner</span>`}</code>
            </pre>
          </>
        }
      >
        <p className="meta-line">
          <span className="badge">Open</span>
          <span className="badge official-badge">Official response</span>
          <span className="badge outline">Partner</span>
        </p>
      </Section>

      <Section
        id="card"
        usage={
          <>
            <p>
              A bordered block for one thing among many: an ask in a list, a comment, an admin section. The ask list and
              comments use their own classes (<code>.ask-row</code>, <code>.comment</code>) built on the same tokens.
            </p>
            <pre>
              <code>{`<div className="card">…</div>`}</code>
            </pre>
          </>
        }
      >
        <div className="card">
          <h3>A customer-facing page that explains CPOR and POE</h3>
          <p className="meta-line">
            <span className="badge">Completed</span>
            <span>Partner of Record</span>
            <span>6 votes</span>
          </p>
          <p>Partners want a short page, written for customers, that says what to expect when a partner files CPOR.</p>
        </div>
      </Section>

      <Section
        id="tab-bar"
        usage={
          <>
            <p>
              Links between views of one page (<code>QueryTabs</code>, for <code>?tab=</code> and <code>?view=</code>)
              or between sibling pages, such as the admin sections (a list of <code>NavLink</code>s). The current one
              carries <code>aria-current="page"</code>, which both draws the underline and tells screen readers. On a
              narrow screen the bar scrolls sideways inside itself.
            </p>
            <pre>
              <code>{`<QueryTabs label="Triage queues" param="view" tabs={views} labels={viewLabels} current={view} />
<nav aria-label="Admin">
  <ul className="tabs"><li><NavLink to="/admin/teams">Teams</NavLink></li>…</ul>
</nav>`}</code>
            </pre>
          </>
        }
      >
        <QueryTabs label="Example tabs" param="tab" tabs={exampleTabs} labels={exampleTabLabels} current={tab} />
      </Section>

      <Section
        id="disclosure"
        usage={
          <>
            <p>
              Tools most readers do not need, folded away until asked for. A <code>&lt;details&gt;</code> element, so it
              opens with a click, Enter or Space and needs no JavaScript.
            </p>
            <pre>
              <code>{`<details className="disclosure">
  <summary>Merge</summary>
  <form>…</form>
</details>`}</code>
            </pre>
          </>
        }
      >
        <details className="disclosure">
          <summary>Post a status update</summary>
          <p>The form goes here. It is closed until the team member opens it.</p>
        </details>
      </Section>

      <Section
        id="toast"
        usage={
          <>
            <p>
              The confirmation after a form was saved ("Team renamed."). The action calls{" "}
              <code>redirectWithNotice(url, sentence)</code>; the next page shows it at the top of the content in a{" "}
              <code>role="status"</code> element, so screen readers announce it, with or without JavaScript.{" "}
              <code>.notice</code> without <code>.saved</code> is a quiet note; <code>.banner</code> marks the state of
              the whole page; <code>.form-error</code> heads a form that was refused.
            </p>
            <pre>
              <code>{`return redirectWithNotice("/admin/teams", "Team renamed to EPX.");`}</code>
            </pre>
          </>
        }
      >
        <p className="notice saved">Team renamed to EPX.</p>
        <p className="notice">Comments on this ask are locked.</p>
        <p className="banner">This ask was merged into another. Its votes and followers count there.</p>
        <p className="form-error">Please correct the fields marked below.</p>
      </Section>

      <Section
        id="empty-state"
        usage={
          <>
            <p>
              When a list has nothing to show, say so plainly and offer the way on. The page-not-found page uses it too.
            </p>
            <pre>
              <code>{`<EmptyState title="No asks match" actions={<Link className="button" to="/asks/new">File an ask</Link>}>
  <p>Try another filter, or file the first one.</p>
</EmptyState>`}</code>
            </pre>
          </>
        }
      >
        <EmptyState
          title="No asks match"
          level={3}
          actions={
            <Link className="button" to="/styleguide#empty-state">
              File an ask
            </Link>
          }
        >
          <p>Try another filter, or file the first one.</p>
        </EmptyState>
      </Section>

      <Section
        id="data-table"
        usage={
          <>
            <p>
              Rows of records, as on the admin pages. The <code>DataTable</code> component writes each column's title
              into its cells' <code>data-label</code>, so under 600 pixels every row becomes a card of labelled lines
              instead of a table wider than the screen. Make this window narrow to see it.
            </p>
            <pre>
              <code>{`<DataTable caption="Teams" rows={teams} rowKey={(t) => t.id}
  columns={[{ header: "Team", cell: (t) => t.name }, { header: "Asks", cell: (t) => t.asks, numeric: true }]} />`}</code>
            </pre>
          </>
        }
      >
        <DataTable caption="Teams" columns={teamColumns} rows={teams} rowKey={(t) => t.id} />
      </Section>

      <Section
        id="field"
        usage={
          <>
            <p>
              A label, the control, a hint and the error, wired together with <code>aria-describedby</code> so they are
              read as one. The error names what to do, and the form keeps what was typed.
            </p>
            <pre>
              <code>{`<Field id="title" label="Title" hint="…" error={reply?.errors.title}>
  {(describedBy, invalid) => <input id="title" name="title" aria-describedby={describedBy} aria-invalid={invalid || undefined} />}
</Field>`}</code>
            </pre>
          </>
        }
      >
        <Field
          id="styleguide-title"
          label="Title"
          hint="One sentence: what should change?"
          error="Write a title of at least 10 characters."
        >
          {(describedBy, invalid) => (
            <input
              id="styleguide-title"
              name="title"
              defaultValue="Export"
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
      </Section>
    </>
  );
}

function Section({ id, usage, children }: { id: SectionId; usage: ReactNode; children: ReactNode }) {
  const title = sections.find((s) => s.id === id)?.title;
  return (
    <section id={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <div className="specimen">{children}</div>
      <div className="usage">{usage}</div>
    </section>
  );
}

function TokensUsage() {
  return (
    <>
      <p>
        Use the custom properties, never a raw colour: each holds a light and a dark value, so a page written with them
        is right in both themes. Both values of every text colour reach 4.5:1 against every background token.
      </p>
      <pre>
        <code>{`.my-panel {
  background: var(--color-bg-raised);
  border: 1px solid var(--color-border);
  border-radius: var(--radius-lg);
  padding: var(--space-4);
}`}</code>
      </pre>
    </>
  );
}
