import { useLoaderData } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { render, screen, within } from "@testing-library/react";
import axe from "axe-core";
import type { ComponentProps } from "react";
import { describe, expect, it } from "vitest";
import { NotificationSettings, type NotificationSettingsValues } from "~/components/notification-settings";
import { defaultDelivery, notificationKindLabels, notificationKinds } from "~/domain";

const saved: NotificationSettingsValues = {
  deliveries: { ...defaultDelivery, status_update: "daily" },
  autoFollow: { filed: true, voted: false, commented: true },
  digestHour: 8,
  digestWeekday: 1,
  locale: null,
  timeZone: "Europe/Berlin",
  mailOff: false,
};

type Props = ComponentProps<typeof NotificationSettings>;

// The form as the account page renders it, from what its loader gave.
function Page() {
  return <NotificationSettings {...useLoaderData<Props>()} />;
}

async function renderSettings(props: Partial<Props> = {}) {
  const Stub = createRemixStub([
    {
      path: "/account",
      Component: Page,
      loader: (): Props => ({
        settings: saved,
        nextDigests: { daily: "2026-12-02T07:00:00.000Z", weekly: "2026-12-07T07:00:00.000Z" },
        timeZones: ["America/New_York", "Asia/Tokyo", "Europe/Berlin", "UTC"],
        ...props,
      }),
    },
  ]);
  const rendered = render(<Stub initialEntries={["/account"]} />);
  await screen.findByRole("region", { name: "Notifications" });
  return rendered;
}

describe("NotificationSettings", () => {
  it("is one form under the #notifications anchor, with one save button", async () => {
    const { container } = await renderSettings();
    const section = container.querySelector("#notifications");
    expect(section).not.toBeNull();
    expect(section?.querySelectorAll("form")).toHaveLength(1);
    expect(screen.getByRole("region", { name: "Notifications" })).toBe(section);
    expect(screen.getAllByRole("button")).toHaveLength(1);
    expect(screen.getByRole("button", { name: "Save notification settings" })).toBeInTheDocument();
  });

  it("asks how to hear about each kind in a group named by its legend, the saved choice checked", async () => {
    await renderSettings();
    for (const kind of notificationKinds) {
      const group = screen.getByRole("group", { name: notificationKindLabels[kind] });
      const radios = within(group).getAllByRole("radio");
      expect(radios.map((r) => r.getAttribute("value"))).toEqual(["instant", "daily", "weekly", "off"]);
      expect(within(group).getByRole("radio", { checked: true })).toHaveAttribute(
        "value",
        kind === "status_update" ? "daily" : defaultDelivery[kind],
      );
    }
    expect(within(screen.getByRole("group", { name: "Status updates" })).getByLabelText("Daily digest")).toBeChecked();
  });

  it("labels every checkbox and list, and names the zone digests go out in", async () => {
    await renderSettings();
    const autoFollow = screen.getByRole("group", { name: "Follow asks automatically" });
    expect(within(autoFollow).getByRole("checkbox", { name: "Asks I file" })).toBeChecked();
    expect(within(autoFollow).getByRole("checkbox", { name: "Asks I vote on" })).not.toBeChecked();
    expect(screen.getByRole("checkbox", { name: "Stop all mail" })).not.toBeChecked();
    const hour = screen.getByRole("combobox", { name: "Time of day" });
    expect(hour).toHaveValue("8");
    expect(within(hour).getByRole("option", { selected: true })).toHaveTextContent("08:00");
    expect(within(hour).getAllByRole("option")).toHaveLength(24);
    expect(hour).toHaveAccessibleDescription("In your time zone, Europe/Berlin.");
    expect(screen.getByRole("combobox", { name: "Day of the weekly digest" })).toHaveValue("1");
    const zone = screen.getByRole("combobox", { name: "Time zone" });
    expect(zone).toHaveValue("Europe/Berlin");
    expect(within(zone).getByRole("option", { name: "America/New York" })).toHaveValue("America/New_York");
    const locale = screen.getByRole("combobox", { name: "Language for dates" });
    expect(locale).toHaveValue("");
    expect(within(locale).getByRole("option", { name: "Use my browser's" })).toBeInTheDocument();
    expect(within(locale).getByRole("option", { name: "Deutsch (Deutschland)" })).toHaveAttribute("lang", "de-DE");
    expect(screen.getByText(/Next daily digest/)).toBeInTheDocument();
  });

  it("says digests go out in UTC while no zone is saved", async () => {
    await renderSettings({ settings: { ...saved, timeZone: null } });
    expect(screen.getByRole("combobox", { name: "Time of day" })).toHaveAccessibleDescription(
      "In UTC, until you choose your time zone below.",
    );
    expect(screen.getByRole("combobox", { name: "Time zone" })).toHaveValue("");
  });

  it("after a refused submit, shows what was sent and each message next to its field", async () => {
    await renderSettings({
      reply: {
        errors: { timeZone: "Choose a time zone from the list.", "delivery-merge": "Choose how to hear about this." },
        values: { "delivery-status_update": "weekly", timeZone: "Asia/Tokyo", autoFollowVoted: "on", mailOff: "on" },
      },
    });
    expect(screen.getByRole("alert")).toHaveTextContent("Nothing was saved");
    const zone = screen.getByRole("combobox", { name: "Time zone" });
    expect(zone).toHaveValue("Asia/Tokyo");
    expect(zone).toHaveAttribute("aria-invalid", "true");
    expect(zone).toHaveAccessibleDescription("Choose a time zone from the list.");
    const merge = screen.getByRole("group", { name: "An ask merged into another" });
    expect(merge).toHaveAccessibleDescription("Choose how to hear about this.");
    expect(within(screen.getByRole("group", { name: "Status updates" })).getByLabelText("Weekly digest")).toBeChecked();
    // Boxes show what was sent: an unticked one sent nothing, whatever was saved.
    expect(screen.getByRole("checkbox", { name: "Asks I vote on" })).toBeChecked();
    expect(screen.getByRole("checkbox", { name: "Asks I file" })).not.toBeChecked();
    expect(screen.getByRole("checkbox", { name: "Stop all mail" })).toBeChecked();
  });

  it("has no axe violations, refused or not", async () => {
    const { container, unmount } = await renderSettings();
    const clean = await axe.run(container, { rules: { "color-contrast": { enabled: false } } });
    expect(clean.violations).toEqual([]);
    unmount();
    const refused = await renderSettings({
      reply: { errors: { digestHour: "Choose an hour from the list." }, values: {} },
    });
    const withErrors = await axe.run(refused.container, { rules: { "color-contrast": { enabled: false } } });
    expect(withErrors.violations).toEqual([]);
  });
});
