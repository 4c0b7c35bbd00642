import type { TypedResponse } from "@remix-run/node";

// Resource routes answer with a real JSON Response: Remix v3 stops turning plain objects
// into JSON for them. Typed, so `useFetcher<typeof loader>()` still knows the shape.
export function jsonResponse<T>(value: T, init?: ResponseInit): TypedResponse<T> {
  // Response.json writes exactly `value`; TypedResponse only carries its type along.
  return Response.json(value, init) as TypedResponse<T>;
}
