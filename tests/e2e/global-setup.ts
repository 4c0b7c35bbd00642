import type { TestProject } from "vitest/node";
import { startAsklog } from "./server";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    admin: { email: string; password: string };
    // The server's SQLite file: tests write hostile data through the models and read it back over HTTP.
    databasePath: string;
  }
}

// One production server on a fresh database with the demo data, shared by the e2e files.
export default async function setup(project: TestProject) {
  // The deployment's own admin account, made at start from ADMIN_EMAIL/ADMIN_PASSWORD.
  const admin = { email: "operator@asklog.example", password: "operator-password-e2e" };
  const server = await startAsklog({
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    // The webhook tests' receiver listens on 127.0.0.1.
    WEBHOOK_ALLOW_PRIVATE: "1",
  });
  project.provide("baseUrl", server.baseUrl);
  project.provide("admin", admin);
  project.provide("databasePath", server.databasePath);
  return server.stop;
}
