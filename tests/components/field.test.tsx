import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Field } from "~/components/field";

describe("Field", () => {
  it("labels the control and announces its hint and error with it", () => {
    render(
      <Field id="title" label="Title" hint="10–120 characters." error="Title must be at least 10 characters.">
        {(describedBy, invalid) => (
          <input id="title" aria-describedby={describedBy} aria-invalid={invalid || undefined} />
        )}
      </Field>,
    );
    const input = screen.getByLabelText("Title");
    expect(input).toHaveAccessibleDescription("10–120 characters. Title must be at least 10 characters.");
    expect(input).toBeInvalid();
  });

  it("has no error state when the value is fine", () => {
    render(
      <Field id="email" label="Email">
        {(describedBy) => <input id="email" aria-describedby={describedBy} />}
      </Field>,
    );
    expect(screen.getByLabelText("Email")).toBeValid();
    expect(screen.getByLabelText("Email")).not.toHaveAttribute("aria-describedby");
  });
});
