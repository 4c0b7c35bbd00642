import { createRemixStub } from "@remix-run/testing";
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { formatBytes } from "~/components/byte-size";
import { ImportUploadForm } from "~/components/import-upload-form";

function FreshUpload() {
  return <ImportUploadForm maxBytes={512 * 1024 ** 2} />;
}

function RefusedUpload() {
  return <ImportUploadForm maxBytes={512 * 1024 ** 2} error="The file is 2.0 GB; the limit is 512 MB." />;
}

function renderAt(Component: () => JSX.Element) {
  const Stub = createRemixStub([{ path: "/admin/import", Component }]);
  render(<Stub initialEntries={["/admin/import"]} />);
}

describe("ImportUploadForm", () => {
  it("takes a JSON or zip file as a multipart upload, says the size limit, and starts as a dry run", async () => {
    renderAt(FreshUpload);
    const file = await screen.findByLabelText("File to import");
    expect(file).toHaveAttribute("type", "file");
    expect(file).toHaveAttribute("accept", expect.stringContaining(".json,.zip"));
    expect(file).toHaveAccessibleDescription(expect.stringContaining("at most 512 MB"));
    expect(screen.getByRole("checkbox", { name: /Check only \(dry run\)/ })).toBeChecked();
    const form = file.closest("form");
    expect(form).toHaveAttribute("enctype", "multipart/form-data");
    expect(form).toHaveAttribute("method", "post");
    expect(form).toHaveAttribute("action", "/admin/import");
  });

  it("shows why the last upload was refused, tied to the file field", async () => {
    renderAt(RefusedUpload);
    const file = await screen.findByLabelText("File to import");
    expect(file).toHaveAttribute("aria-invalid", "true");
    expect(file).toHaveAccessibleDescription(expect.stringContaining("The file is 2.0 GB; the limit is 512 MB."));
  });
});

describe("formatBytes", () => {
  it("writes sizes as people read them", () => {
    expect(formatBytes(512 * 1024 ** 2)).toBe("512 MB");
    expect(formatBytes(2 * 1024 ** 3)).toBe("2.0 GB");
    expect(formatBytes(4096)).toBe("4.0 KB");
    expect(formatBytes(300)).toBe("300 bytes");
  });
});
