import { type ActionFunction, data, type LoaderFunction, type ServerBuild } from "@remix-run/node";
import { logError } from "~/services/request-log.server";

type Handler = LoaderFunction & ActionFunction;

// Expected outcomes (redirects, 404s, 400s) are thrown as a Response or data();
// anything else is a fault.
function isExpected(thrown: unknown): boolean {
  return (
    thrown instanceof Response ||
    (typeof thrown === "object" && thrown !== null && "type" in thrown && thrown.type === "DataWithResponseInit")
  );
}

function withReference(handler: Handler): Handler {
  return async (args) => {
    try {
      return await handler(args);
    } catch (thrown) {
      if (isExpected(thrown)) throw thrown;
      const reference = args.context.requestId;
      logError(reference, thrown);
      // The page names the reference; the details stay in the log. This works the same
      // for a document, a client-side navigation and a fetcher, unlike a bare Error,
      // which Remix would hand the browser as an anonymous "Unexpected Server Error".
      throw data({ reference }, { status: 500 });
    }
  };
}

// Every loader and action of the build, wrapped so that an unexpected error is logged
// with the request's id and shown to the user as a friendly page carrying that id.
export function withErrorReferences(build: ServerBuild): ServerBuild {
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    const module = { ...route.module };
    if (module.loader) module.loader = withReference(module.loader);
    if (module.action) module.action = withReference(module.action);
    routes[id] = { ...route, module };
  }
  return { ...build, routes };
}
