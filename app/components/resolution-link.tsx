import { isWebUrl } from "~/validation/status-update-rules";

// The form only accepts http and https links, but older or imported ones may hold
// anything: a javascript:, data: or vbscript: address must never become a link.
export function ResolutionLink({ link }: { link: { url: string; title: string } }) {
  if (!isWebUrl(link.url)) return <span>{link.title}</span>;
  return (
    <a href={link.url} rel="nofollow noopener">
      {link.title}
    </a>
  );
}
