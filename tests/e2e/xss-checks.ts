import { DomUtils, parseDocument } from "htmlparser2";
import { SaxesParser } from "saxes";
import { hasDangerousScheme } from "../xss-payloads";

// Checks on what the server sent, read by a real HTML parser (htmlparser2, the one
// sanitize-html uses; it decodes entities in attribute values as browsers do).
// Each check returns the problems it found, so one run reports all of them.

type Document = ReturnType<typeof parseDocument>;
type Element = ReturnType<typeof DomUtils.findAll>[number];

const urlAttributes = new Set([
  "href",
  "src",
  "action",
  "formaction",
  "xlink:href",
  "data",
  "poster",
  "background",
  "cite",
  "ping",
  "manifest",
  "codebase",
  "lowsrc",
  "dynsrc",
  "longdesc",
  "usemap",
  "srcdoc",
]);

// Never in the app's own markup, so never anywhere on a page.
const forbiddenElements = new Set([
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
  "base",
  "portal",
  "svg",
  "math",
  "style",
]);

// What renderMarkdown may leave in the user-written HTML: tags and, per tag, attributes.
const markdownAttributes: Record<string, string[]> = {
  a: ["href", "title", "rel"],
  img: ["src", "alt", "title"],
  th: ["align"],
  td: ["align"],
  ol: ["start"],
};
const markdownTags = new Set([
  ...Object.keys(markdownAttributes),
  ..."p br hr h1 h2 h3 h4 h5 h6 blockquote pre code em strong del s ul li table thead tbody tr".split(" "),
]);

function all(root: Document | Element, test: (e: Element) => boolean = () => true): Element[] {
  return DomUtils.findAll(test, root.children);
}

// The kind of a script: its type, its src, or for an inline one how it starts
// (Remix's scroll restoration, context, module import and stream chunks).
function scriptKind(script: Element): string {
  const inline = DomUtils.textContent(script).trim().slice(0, 32);
  return `${script.attribs.type ?? ""}|${script.attribs.src ?? inline}`;
}

export function scriptKinds(html: string): string[] {
  return all(parseDocument(html), (e) => e.name === "script").map(scriptKind);
}

export function describeElement(e: Element): string {
  const attributes = Object.entries(e.attribs)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(" ");
  return `<${e.name}${attributes ? ` ${attributes}` : ""}>`;
}

// Attributes and elements that run script or load it, wherever they are.
function checkElements(elements: Element[]): string[] {
  const problems: string[] = [];
  for (const e of elements) {
    if (forbiddenElements.has(e.name)) problems.push(`forbidden element ${describeElement(e)}`);
    if (e.name === "meta" && "http-equiv" in e.attribs) problems.push(`meta refresh ${describeElement(e)}`);
    for (const [name, value] of Object.entries(e.attribs)) {
      if (name.startsWith("on")) problems.push(`event handler attribute ${name} on ${describeElement(e)}`);
      if (urlAttributes.has(name) && hasDangerousScheme(value)) {
        problems.push(`dangerous URL in ${name} on ${describeElement(e)}`);
      }
      if (name === "srcset" && value.split(",").some((candidate) => hasDangerousScheme(candidate))) {
        problems.push(`dangerous URL in srcset on ${describeElement(e)}`);
      }
      if (name === "style" && /expression\(|url\(|javascript:/i.test(value)) {
        problems.push(`style that can load or run code on ${describeElement(e)}`);
      }
    }
  }
  return problems;
}

// Inside a sanitized block only the markdown allowlist may appear.
function checkMarkdownBlock(block: Document | Element): string[] {
  const problems: string[] = [];
  for (const e of all(block)) {
    if (!markdownTags.has(e.name)) {
      problems.push(`element outside the markdown allowlist ${describeElement(e)}`);
      continue;
    }
    for (const name of Object.keys(e.attribs)) {
      if (!(markdownAttributes[e.name] ?? []).includes(name)) {
        problems.push(`attribute outside the markdown allowlist ${name} on ${describeElement(e)}`);
      }
    }
  }
  return problems;
}

export type PageCheck = {
  // The scripts a clean page of the same route has (see scriptKinds).
  expectedScripts: string[];
};

// A whole page: the app's own scripts and forms only, nothing executable from user content.
export function checkPage(html: string, { expectedScripts }: PageCheck): string[] {
  const document = parseDocument(html);
  const elements = all(document);
  const problems = checkElements(elements);
  const scripts = elements.filter((e) => e.name === "script");
  const kinds = scripts.map(scriptKind);
  if (JSON.stringify(kinds) !== JSON.stringify(expectedScripts)) {
    problems.push(
      `scripts differ from a clean page: ${JSON.stringify(kinds)} instead of ${JSON.stringify(expectedScripts)}`,
    );
  }
  for (const script of scripts) {
    // A raw "</script" ends the data early; "<!--" with "<script" puts the parser in a state where it does not end.
    const text = DomUtils.textContent(script);
    if (/<\/?script|<!--/i.test(text)) problems.push(`raw </script or <!-- inside ${scriptKind(script)}`);
  }
  for (const form of elements.filter((e) => e.name === "form")) {
    const action = form.attribs.action;
    if (action !== undefined && !/^\/(?![/\\])/.test(action))
      problems.push(`form posting off-site ${describeElement(form)}`);
  }
  // Remix puts its module preloads at the end of <body>; every other link belongs in <head>.
  for (const link of elements.filter((e) => e.name === "link")) {
    const inHead = (DomUtils.getParent(link) as { name?: string } | null)?.name === "head";
    const preload = link.attribs.rel === "modulepreload" && link.attribs.href?.startsWith("/build/");
    if (!inHead && !preload) problems.push(`link element outside <head> ${describeElement(link)}`);
  }
  for (const block of elements.filter((e) => (e.attribs.class ?? "").split(/\s+/).includes("markdown"))) {
    problems.push(...checkMarkdownBlock(block));
  }
  return problems;
}

// HTML carried in a feed: a feed reader renders it, so only what renderMarkdown
// lets through (the feed's own wrappers are plain paragraphs, lists and links).
export function checkFragment(html: string): string[] {
  const document = parseDocument(html);
  return [...checkElements(all(document)), ...checkMarkdownBlock(document)];
}

// Text of the first element matching the test, as the parser reads it.
export function textOf(html: string, test: (e: Element) => boolean): string | undefined {
  const found = all(parseDocument(html), test)[0];
  return found && DomUtils.textContent(found);
}

export function textsOf(html: string, test: (e: Element) => boolean): string[] {
  return all(parseDocument(html), test).map((e) => DomUtils.textContent(e));
}

export function attributeOf(html: string, test: (e: Element) => boolean, name: string): string | undefined {
  return all(parseDocument(html), test)[0]?.attribs[name];
}

export function hasElement(html: string, test: (e: Element) => boolean): boolean {
  return all(parseDocument(html), test).length > 0;
}

const atomNamespace = "http://www.w3.org/2005/Atom";
const atomElements = new Set([
  "feed",
  "id",
  "title",
  "subtitle",
  "updated",
  "published",
  "link",
  "author",
  "name",
  "entry",
  "content",
]);

type XmlElement = { name: string; attributes: Record<string, string>; text: string; children: XmlElement[] };

export type FeedReading = { problems: string[]; title: string; entryTitles: string[]; contents: string[] };

// Well-formed XML, read by a strict parser (saxes, the one jsdom uses); only Atom
// elements; every entry's HTML harmless.
export function readFeed(xml: string): FeedReading {
  const problems: string[] = [];
  const root: XmlElement = { name: "", attributes: {}, text: "", children: [] };
  const open: XmlElement[] = [root];
  const parser = new SaxesParser({ xmlns: true });
  parser.on("opentag", (tag) => {
    if (tag.uri !== atomNamespace || !atomElements.has(tag.local)) {
      problems.push(`element that is not Atom: ${tag.uri} ${tag.local}`);
    }
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) {
      const declaration = attribute.uri === "http://www.w3.org/2000/xmlns/";
      if (attribute.uri && attribute.uri !== atomNamespace && !declaration) {
        problems.push(`attribute that is not Atom: ${attribute.uri} ${attribute.local}`);
      }
      attributes[attribute.name] = attribute.value;
    }
    if (tag.local === "link" && !/^https?:\/\//.test(attributes.href ?? "")) {
      problems.push(`feed link that is not a web address: ${attributes.href}`);
    }
    const element: XmlElement = { name: tag.local, attributes, text: "", children: [] };
    open.at(-1)?.children.push(element);
    open.push(element);
  });
  // `root` stays at the bottom of the stack, so there is always an element to write into.
  const append = (text: string) => {
    const current = open.at(-1);
    if (current) current.text += text;
  };
  parser.on("text", append);
  parser.on("cdata", append);
  parser.on("closetag", () => {
    open.pop();
  });
  try {
    parser.write(xml).close();
  } catch (error) {
    return { problems: [`not well-formed XML: ${(error as Error).message}`], title: "", entryTitles: [], contents: [] };
  }
  const feed = root.children[0];
  if (root.children.length !== 1 || feed?.name !== "feed") problems.push("the document is not one <feed>");
  const child = (parent: XmlElement | undefined, name: string) => parent?.children.filter((c) => c.name === name) ?? [];
  const entries = child(feed, "entry");
  const contents = entries.flatMap((entry) => child(entry, "content"));
  for (const content of contents) {
    if (content.attributes.type !== "html") problems.push(`content of type ${content.attributes.type}`);
    problems.push(...checkFragment(content.text).map((p) => `in entry content: ${p}`));
  }
  return {
    problems,
    title: child(feed, "title")[0]?.text ?? "",
    entryTitles: entries.map((entry) => child(entry, "title")[0]?.text ?? ""),
    contents: contents.map((c) => c.text),
  };
}
