// @vitest-environment jsdom
// jsdom gives the DOMParser used to check the output the way a browser would read it.
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "~/services/markdown.server";
import { isDangerousUrl, xssPayloads as payloads } from "../xss-payloads";

type Attribute = { tag: string; name: string; value: string };

function attributesOf(html: string): Attribute[] {
  const found: Attribute[] = [];
  for (const [, tag = "", rest = ""] of html.matchAll(/<([a-z][a-z0-9-]*)([^>]*)>/gi)) {
    for (const [, name = "", , dq, sq, bare] of rest.matchAll(
      /([^\s"'<>/=]+)(\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g,
    )) {
      found.push({ tag: tag.toLowerCase(), name: name.toLowerCase(), value: dq ?? sq ?? bare ?? "" });
    }
  }
  return found;
}

function expectNothingExecutable(payload: string, html: string): void {
  const context = `payload ${JSON.stringify(payload)} rendered as ${JSON.stringify(html)}`;
  expect(html, context).not.toMatch(/<script/i);
  expect(html, context).not.toMatch(/<iframe/i);
  expect(html, context).not.toMatch(/<(?:object|embed)/i);
  expect(html, context).not.toMatch(/<(?:style|link|meta|form|svg|math|base)\b/i);
  for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
    // Quoted values may legitimately contain "on...=" text; only attribute names count.
    const unquoted = tag.replace(/"[^"]*"|'[^']*'/g, '""');
    expect(unquoted, context).not.toMatch(/[\s/"']on\w+\s*=/i);
  }
  for (const attribute of attributesOf(html)) {
    expect(attribute.name, context).not.toMatch(/^on/);
    expect(attribute.name, context).not.toMatch(/^(?:style|srcdoc|formaction|xlink:href)$/);
    if (["href", "src", "action", "data"].includes(attribute.name)) {
      expect(isDangerousUrl(attribute.value), `${attribute.name}=${attribute.value} in ${context}`).toBe(false);
    }
  }

  // The same check on the tree a browser builds from the output.
  const document = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  expect(document.querySelectorAll("script, iframe, object, embed, style, svg, math, form").length, context).toBe(0);
  for (const element of document.body.querySelectorAll("*")) {
    for (const { name, value } of element.attributes) {
      expect(name.toLowerCase(), context).not.toMatch(/^on/);
      if (["href", "src", "action", "data"].includes(name.toLowerCase())) {
        expect(isDangerousUrl(value), `${name}=${value} in ${context}`).toBe(false);
      }
    }
  }
}

describe("the checks themselves", () => {
  // A sanitizer test is only worth something if its checks catch the real thing.
  it.each([
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" &#106;avascript&colon;alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    "<img src=x oNeRrOr =alert(1)>",
    '<img src="DATA:image/svg+xml,x">',
    "<p><script>alert(1)</script></p>",
    "<iframe></iframe>",
    "<embed src=x>",
  ])("flags %s", (html) => {
    expect(() => expectNothingExecutable("self-check", html)).toThrow();
  });

  it("passes plain safe HTML", () => {
    expectNothingExecutable("self-check", '<p><a href="https://example.com" title="on=1">x</a></p>');
  });
});

describe("renderMarkdown against XSS payloads", () => {
  it("has a real list to work with", () => {
    expect(payloads.length).toBeGreaterThanOrEqual(40);
  });

  it.each(payloads)("neutralizes %j", (payload) => {
    expectNothingExecutable(payload, renderMarkdown(payload));
  });

  it.each(payloads)("neutralizes %j inside surrounding prose", (payload) => {
    expectNothingExecutable(payload, renderMarkdown(`Before the payload.\n\n${payload}\n\nAfter **it**.`));
  });

  it("shows raw HTML as text instead of dropping what the partner wrote", () => {
    const html = renderMarkdown("Use <b>bold</b> and <script>alert(1)</script>");
    expect(html).toContain("&lt;b&gt;bold&lt;/b&gt;");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});

describe("renderMarkdown keeps ordinary markdown", () => {
  it("renders emphasis", () => {
    expect(renderMarkdown("This is **important** and _urgent_.")).toBe(
      "<p>This is <strong>important</strong> and <em>urgent</em>.</p>\n",
    );
  });

  it("renders bulleted and numbered lists", () => {
    const html = renderMarkdown("- first\n- second\n\n3. three\n4. four");
    expect(html).toContain("<ul>\n<li>first</li>\n<li>second</li>\n</ul>");
    expect(html).toMatch(/<ol start="3">\s*<li>three<\/li>\s*<li>four<\/li>\s*<\/ol>/);
  });

  it("renders links with rel=nofollow noopener", () => {
    expect(renderMarkdown("See [the CPOR page](https://aka.ms/about-cpor).")).toBe(
      '<p>See <a href="https://aka.ms/about-cpor" rel="nofollow noopener">the CPOR page</a>.</p>\n',
    );
    expect(renderMarkdown("Mail [us](mailto:partners@example.com)")).toContain(
      '<a href="mailto:partners@example.com" rel="nofollow noopener">us</a>',
    );
    const autolink = renderMarkdown("Docs at https://learn.example.com/cpor today");
    expect(autolink).toContain('<a href="https://learn.example.com/cpor" rel="nofollow noopener">');
  });

  it("renders code blocks with their content escaped", () => {
    const html = renderMarkdown("```ts\nif (a < b && c > d) run('<script>');\n```");
    expect(html).toBe("<pre><code>if (a &lt; b &amp;&amp; c &gt; d) run('&lt;script&gt;');\n</code></pre>\n");
    expect(renderMarkdown("Run `npm test` first")).toBe("<p>Run <code>npm test</code> first</p>\n");
  });

  it("renders headings, quotes, tables, line breaks and https images", () => {
    expect(renderMarkdown("## Why")).toBe("<h2>Why</h2>\n");
    expect(renderMarkdown("> quoted")).toBe("<blockquote>\n<p>quoted</p>\n</blockquote>\n");
    expect(renderMarkdown("| a | b |\n|---|---|\n| 1 | 2 |")).toMatch(/<table>[\s\S]*<td>1<\/td>[\s\S]*<\/table>/);
    expect(renderMarkdown("one\ntwo")).toBe("<p>one<br />two</p>\n");
    expect(renderMarkdown("![chart](https://example.com/chart.png)")).toBe(
      '<p><img src="https://example.com/chart.png" alt="chart" /></p>\n',
    );
  });
});

describe("renderMarkdown cache", () => {
  it("gives each text its own sanitized HTML, before and after older entries are evicted", () => {
    const a = renderMarkdown("Cached **alpha** <script>alert(1)</script>");
    const b = renderMarkdown("Cached _beta_ [x](javascript:alert(1))");
    expect(a).toBe("<p>Cached <strong>alpha</strong> &lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
    expect(renderMarkdown("Cached **alpha** <script>alert(1)</script>")).toBe(a);
    expect(renderMarkdown("Cached _beta_ [x](javascript:alert(1))")).toBe(b);
    for (let i = 0; i < 6000; i++) renderMarkdown(`filler ${i}`);
    expect(renderMarkdown("Cached **alpha** <script>alert(1)</script>")).toBe(a);
    expect(renderMarkdown("filler 5999")).toBe("<p>filler 5999</p>\n");
  });
});
