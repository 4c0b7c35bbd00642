// Headers every response carries. The policy allows only our own files and the
// inline scripts Remix writes with this response's nonce, so markup that slips into
// a page still cannot run. Styles come from our stylesheets only (status colours
// too: /statuses.css), never from style attributes or <style> elements.
//
// One address is different: a stored mail's HTML part (/admin/mail/<id>/html), shown to admins
// in a sandboxed frame on our own page. Mail needs its inline styles; it gets those, data:
// images and nothing else, and only our own pages may frame it.
const mailPreview = /^\/admin\/mail\/\d+\/html$/;

export function securityHeaders(nonce: string, path = ""): Record<string, string> {
  if (mailPreview.test(path)) {
    return {
      "Content-Security-Policy": [
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        "img-src data:",
        "frame-ancestors 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "sandbox",
      ].join("; "),
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "X-Frame-Options": "SAMEORIGIN",
    };
  }
  return {
    "Content-Security-Policy": [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      "style-src 'self'",
      "img-src 'self' https:",
      "connect-src 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "object-src 'none'",
    ].join("; "),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
}
