/**
 * Text made safe for every markup the reports write (JUnit XML, the HTML page, its SVG charts):
 * the five special characters escaped, and the control characters XML 1.0 cannot hold at all
 * (everything below U+0020 but tab, newline and return, lone surrogates, U+FFFE and U+FFFF —
 * hostile input and raw error messages carry them) dropped, so one odd byte cannot make a CI
 * system reject the whole report.
 */

/** Characters XML 1.0 forbids anywhere in a document (matching them is this regex's whole point). */
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };

/** `text` for an XML or HTML attribute or text node. */
export function escapeXml(text: string): string {
  return text.replace(FORBIDDEN, '').replace(/[<>&"']/g, (c) => ENTITIES[c] as string);
}
