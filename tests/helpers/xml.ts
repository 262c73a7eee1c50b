/**
 * A small strict XML parser for tests: elements, attributes, text, CDATA, comments and the five
 * predefined entities plus character references. Anything not well-formed (a bare & or <, a
 * mismatched or unclosed tag, a duplicate attribute, an unknown entity) throws, so a feed that a
 * real reader would reject fails the test.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  if (/<|&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(raw)) throw new Error(`malformed text in ${where}: ${raw.slice(0, 80)}`);
  return raw.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (_m, e: string) =>
    e.startsWith('#x')
      ? String.fromCodePoint(parseInt(e.slice(2), 16))
      : e.startsWith('#')
        ? String.fromCodePoint(Number(e.slice(1)))
        : ENTITIES[e],
  );
}

export function parseXml(xml: string): XmlElement {
  let i = 0;
  const rest = () => xml.slice(i);
  const skipMisc = () => {
    for (;;) {
      const m = /^(\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)/.exec(rest());
      if (!m) return;
      i += m[0].length;
    }
  };
  function element(): XmlElement {
    const open = /^<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(rest());
    if (!open) throw new Error(`expected an element at ${i}: ${rest().slice(0, 60)}`);
    i += open[0].length;
    const el: XmlElement = { name: open[1], attrs: {}, children: [], text: '' };
    for (const a of open[2].matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      if (a[1] in el.attrs) throw new Error(`duplicate attribute ${a[1]} on <${el.name}>`);
      el.attrs[a[1]] = decode(a[2] ?? a[3] ?? '', `<${el.name}> attribute`);
    }
    if (open[3]) return el;
    for (;;) {
      const close = new RegExp(`^</${el.name.replace(/[.]/g, '\\.')}\\s*>`).exec(rest());
      if (close) {
        i += close[0].length;
        return el;
      }
      if (rest().startsWith('<![CDATA[')) {
        const end = xml.indexOf(']]>', i);
        if (end < 0) throw new Error('unclosed CDATA');
        el.text += xml.slice(i + 9, end);
        i = end + 3;
      } else if (rest().startsWith('<!--')) {
        const end = xml.indexOf('-->', i);
        if (end < 0) throw new Error('unclosed comment');
        i = end + 3;
      } else if (rest().startsWith('</')) {
        throw new Error(`mismatched closing tag for <${el.name}> at ${i}: ${rest().slice(0, 40)}`);
      } else if (rest().startsWith('<')) {
        el.children.push(element());
      } else {
        const next = xml.indexOf('<', i);
        if (next < 0) throw new Error(`unclosed <${el.name}>`);
        el.text += decode(xml.slice(i, next), `<${el.name}>`);
        i = next;
      }
    }
  }
  skipMisc();
  const root = element();
  skipMisc();
  if (i !== xml.length) throw new Error(`content after the root element: ${rest().slice(0, 60)}`);
  return root;
}

export const child = (el: XmlElement, name: string): XmlElement | undefined => el.children.find((c) => c.name === name);
export const childrenNamed = (el: XmlElement, name: string): XmlElement[] => el.children.filter((c) => c.name === name);
