/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

// Turns on single-fetch types for loaders and actions (future flag v3_singleFetch).
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

// What server.ts hands every loader and action (see app/services/request-context.ts).
declare module "@remix-run/server-runtime" {
  interface AppLoadContext {
    requestId: string;
    nonce: string;
    clientAddress: string;
  }
}

export {};
