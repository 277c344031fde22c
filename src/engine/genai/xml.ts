/**
 * A small, strict XML reader for JUnit reports: elements, attributes, text, CDATA, comments and
 * processing instructions. DOCTYPE is refused (no entity expansion); only the five predefined
 * entities and numeric character references are decoded. Errors name the line.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
  line: number;
}

export class XmlError extends Error {}

const ENTITY: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string, line: number): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);?/g, (m, body: string) => {
    if (!m.endsWith(';')) throw new XmlError(`line ${line}: unterminated entity "${m}"`);
    if (body.startsWith('#x')) return String.fromCodePoint(Number.parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(Number.parseInt(body.slice(1), 10));
    const v = ENTITY[body];
    if (v === undefined) throw new XmlError(`line ${line}: unknown entity "&${body};"`);
    return v;
  });
}

const ATTR = /([A-Za-z_:][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/g;

export function parseXml(text: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '', line: 1 };
  const stack: XmlElement[] = [root];
  let i = 0;
  let line = 1;
  const advance = (to: number) => {
    for (let k = i; k < to; k++) if (text.charCodeAt(k) === 10) line++;
    i = to;
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const top = stack[stack.length - 1] as XmlElement;
    if (lt < 0) {
      if (text.slice(i).trim() !== '') throw new XmlError(`line ${line}: text after the root element`);
      break;
    }
    if (lt > i) {
      top.text += decode(text.slice(i, lt), line);
      advance(lt);
    }
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i);
      if (end < 0) throw new XmlError(`line ${line}: unterminated comment`);
      advance(end + 3);
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i);
      if (end < 0) throw new XmlError(`line ${line}: unterminated CDATA section`);
      top.text += text.slice(i + 9, end);
      advance(end + 3);
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i);
      if (end < 0) throw new XmlError(`line ${line}: unterminated processing instruction`);
      advance(end + 2);
    } else if (text.startsWith('<!', i)) {
      throw new XmlError(`line ${line}: DOCTYPE and declarations are not accepted`);
    } else {
      const end = text.indexOf('>', i);
      if (end < 0) throw new XmlError(`line ${line}: unterminated tag`);
      const tag = text.slice(i + 1, end);
      const tagLine = line;
      if (tag.startsWith('/')) {
        const name = tag.slice(1).trim();
        if (top.name !== name)
          throw new XmlError(`line ${tagLine}: </${name}> closes <${top.name}> (opened line ${top.line})`);
        stack.pop();
      } else {
        const selfClosing = tag.endsWith('/');
        const body = selfClosing ? tag.slice(0, -1) : tag;
        const m = /^([A-Za-z_:][\w.:-]*)/.exec(body);
        if (!m) throw new XmlError(`line ${tagLine}: malformed tag <${tag.slice(0, 40)}>`);
        const name = m[1] as string;
        const attrs: Record<string, string> = {};
        for (const a of body.slice(name.length).matchAll(ATTR))
          attrs[a[1] as string] = decode(a[3] ?? a[4] ?? '', tagLine);
        if (stack.length === 1 && root.children.length > 0)
          throw new XmlError(`line ${tagLine}: a second root element <${name}>`);
        const el: XmlElement = { name, attrs, children: [], text: '', line: tagLine };
        top.children.push(el);
        if (!selfClosing) stack.push(el);
      }
      advance(end + 1);
    }
  }
  if (stack.length > 1) {
    const open = stack[stack.length - 1] as XmlElement;
    throw new XmlError(`<${open.name}> opened on line ${open.line} is never closed`);
  }
  const doc = root.children[0];
  if (!doc) throw new XmlError('no root element');
  return doc;
}
