/** The text a screen reader walks through in reading order: text nodes outside aria-hidden subtrees. */
export function spokenText(el: Element): string {
  let out = '';
  for (const n of Array.from(el.childNodes)) {
    if (n.nodeType === Node.TEXT_NODE) out += n.textContent ?? '';
    else if (n instanceof Element && n.getAttribute('aria-hidden') !== 'true') out += ` ${spokenText(n)} `;
  }
  return out.replace(/\s+/g, ' ').trim();
}

export const occurrences = (text: string, part: string) => text.split(part).length - 1;
