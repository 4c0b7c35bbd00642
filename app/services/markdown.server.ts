import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

// GitHub-flavoured markdown, but raw HTML in the source is escaped rather than
// passed through: partners write prose, not markup.
const marked = new Marked({ gfm: true, breaks: true, async: false });
marked.use({
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
  },
});

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "code",
    "em",
    "strong",
    "del",
    "s",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
  ],
  allowedAttributes: {
    a: ["href", "title", "rel"],
    img: ["src", "alt", "title"],
    th: ["align"],
    td: ["align"],
    ol: ["start"],
  },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["https"] },
  allowProtocolRelative: false,
  transformTags: {
    a: sanitizeHtml.simpleTransform("a", { rel: "nofollow noopener" }),
  },
  disallowedTagsMode: "discard",
};

// Markdown comes from users: marked is not a sanitizer, so its output always
// passes through sanitize-html before it can reach a page.
export function renderMarkdown(source: string): string {
  const cached = rendered.get(source);
  if (cached !== undefined) {
    // Most recently used goes last, so the oldest entry is the first one evicted.
    rendered.delete(source);
    rendered.set(source, cached);
    return cached;
  }
  const html = sanitizeHtml(marked.parse(source) as string, sanitizeOptions);
  rendered.set(source, html);
  if (rendered.size > cacheEntries) rendered.delete(rendered.keys().next().value as string);
  return html;
}

// Rendering and sanitizing is the costliest part of an ask page (about 5 ms for
// 50 comments). The output depends only on the source text, so recently shown
// texts are kept: a few MB for the asks people are reading.
const cacheEntries = 5000;
const rendered = new Map<string, string>();

export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}
