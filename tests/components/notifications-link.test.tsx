import { useSearchParams } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { NotificationsLink, UnreadAnnouncement } from "~/components/notifications-link";

// NavLink needs a router: one page that shows the link with the count in its address.
function LinkPage() {
  const [params] = useSearchParams();
  return <NotificationsLink count={Number(params.get("count"))} />;
}
const Stub = createRemixStub([{ path: "/", Component: LinkPage }]);

function renderAt(count: number) {
  return render(<Stub initialEntries={[`/?count=${count}`]} />);
}

describe("NotificationsLink", () => {
  it("shows the unread count and names it in words", () => {
    renderAt(3);
    const link = screen.getByRole("link", { name: "Notifications 3 unread notifications" });
    expect(link.getAttribute("href")).toBe("/notifications");
    expect(link.querySelector(".count-badge")?.textContent).toBe("3");
  });

  it("says one notification in the singular", () => {
    renderAt(1);
    expect(screen.getByRole("link", { name: "Notifications 1 unread notification" })).toBeTruthy();
  });

  it("draws no badge when nothing is unread", () => {
    renderAt(0);
    const link = screen.getByRole("link", { name: "Notifications" });
    expect(link.querySelector(".count-badge")).toBeNull();
  });
});

describe("UnreadAnnouncement", () => {
  it("says nothing when the page loads, and announces each change of the count", () => {
    const { container, rerender } = render(<UnreadAnnouncement count={2} />);
    const region = container.querySelector("[aria-live=polite]");
    expect(region?.textContent).toBe("");
    rerender(<UnreadAnnouncement count={3} />);
    expect(region?.textContent).toBe("3 unread notifications.");
    rerender(<UnreadAnnouncement count={0} />);
    expect(region?.textContent).toBe("No unread notifications.");
  });
});
