import { createContext, useContext } from "react";

// The script nonce of the response being rendered on the server. In the browser it is
// empty: scripts added after the page loaded come from our own origin and need none.
export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce() {
  return useContext(NonceContext);
}
