import { type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getAsk } from "~/models/ask.server";
import { askFeedPath } from "~/services/atom.server";
import { userCan } from "~/services/permission.server";
import { askPath, parseAskParam } from "~/slug";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Follow ${data.ask.title} in a feed reader · Asklog` : "Ask not found · Asklog" },
  ...(data
    ? [
        {
          tagName: "link",
          rel: "alternate",
          type: "application/atom+xml",
          title: `Updates on ${data.ask.title}`,
          href: data.feedPath,
        },
      ]
    : []),
];

// The ask's "Feed" link lands here rather than on raw XML: a browser shows Atom as code.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseAskParam(params.ask);
  const ask = id ? getAsk(id) : undefined;
  if (!ask || (ask.hiddenAt && !(await userCan(request, "ask:moderate")))) {
    throw new Response("Ask not found", { status: 404 });
  }
  if (params.ask !== `${ask.id}-${ask.slug}`) throw redirect(`${askPath(ask)}/feed`, 301);
  const feedPath = askFeedPath(ask);
  return {
    ask: { id: ask.id, slug: ask.slug, title: ask.title },
    feedPath,
    feedUrl: `${new URL(request.url).origin}${feedPath}`,
  };
}

export default function AskFeedPage() {
  const { ask, feedPath, feedUrl } = useLoaderData<typeof loader>();
  return (
    <article aria-labelledby="feed-title">
      <h1 id="feed-title">Follow this ask in a feed reader</h1>
      <p>
        <Link to={askPath(ask)}>{ask.title}</Link>
      </p>
      <p>
        A feed lists this ask's status updates and comments, newest first. Paste its address into a feed reader (such as
        Feedly, NetNewsWire or Thunderbird) and new updates show up there, without an account here and without email.
      </p>
      <label htmlFor="feed-url">Feed address</label>
      <input id="feed-url" type="url" readOnly value={feedUrl} />
      <p>
        <a href={feedPath} type="application/atom+xml" rel="alternate">
          Open the feed (Atom XML)
        </a>
      </p>
    </article>
  );
}
