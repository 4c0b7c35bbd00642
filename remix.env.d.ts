/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

// Turns on single-fetch types for loaders and actions (future flag v3_singleFetch).
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export {};
