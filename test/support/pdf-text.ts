import zlib from 'node:zlib';

/**
 * The text of a PDF as Chromium (Skia/PDF) writes it, for tests: each page's content streams
 * (FlateDecode), the text-showing operators (Tj, TJ, ', ") decoded through each font's ToUnicode
 * CMap (bfchar and bfrange). One line per text object (BT … ET), pages in order. Not a general PDF
 * reader: no object streams, no encryption, no simple-font encodings beyond the CMap.
 */

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function objects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const out = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\s*/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endobj', start);
    if (end < 0) break;
    const body = text.slice(start, end);
    const s = /stream\r?\n/.exec(body);
    let stream: Buffer | null = null;
    let dict = body;
    if (s) {
      dict = body.slice(0, s.index);
      const length = Number(/\/Length (\d+)(?! \d+ R)/.exec(dict)?.[1] ?? Number.NaN);
      const from = start + s.index + s[0].length;
      const raw = pdf.subarray(
        from,
        Number.isFinite(length) ? from + length : start + body.lastIndexOf('endstream'),
      );
      stream = /\/FlateDecode/.test(dict) ? zlib.inflateSync(raw) : raw;
    }
    out.set(Number(m[1]), { dict, stream });
    re.lastIndex = end;
  }
  return out;
}

function cmap(src: string): Map<number, string> {
  const map = new Map<number, string>();
  const hexText = (h: string) => {
    let s = '';
    for (let i = 0; i + 4 <= h.length; i += 4)
      s += String.fromCharCode(Number.parseInt(h.slice(i, i + 4), 16));
    return s;
  };
  for (const block of src.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const [, from, to] of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g))
      map.set(Number.parseInt(from!, 16), hexText(to!));
  for (const block of src.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const [, lo, hi, to] of block[1]!.matchAll(
      /<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g,
    )) {
      const base = Number.parseInt(to!, 16);
      for (let c = Number.parseInt(lo!, 16); c <= Number.parseInt(hi!, 16); c++)
        map.set(c, String.fromCharCode(base + c - Number.parseInt(lo!, 16)));
    }
  return map;
}

const ref = (dict: string, key: string): number | null => {
  const m = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict);
  return m ? Number(m[1]) : null;
};

/** The text of every page, in page order (the Pages tree's Kids). */
export function pdfText(pdf: Buffer): string {
  if (pdf.subarray(0, 5).toString() !== '%PDF-') throw new Error('not a PDF');
  const objs = objects(pdf);
  const pages: number[] = [];
  const walk = (n: number) => {
    const o = objs.get(n);
    if (!o) return;
    if (/\/Type\s*\/Page\b/.test(o.dict)) pages.push(n);
    const kids = /\/Kids\s*\[([^\]]*)\]/.exec(o.dict)?.[1] ?? '';
    for (const [, k] of kids.matchAll(/(\d+) 0 R/g)) walk(Number(k));
  };
  const root = [...objs.entries()].find(([, o]) => /\/Type\s*\/Catalog/.test(o.dict));
  const pagesRoot = root ? ref(root[1].dict, 'Pages') : null;
  if (pagesRoot !== null) walk(pagesRoot);
  const lines: string[] = [];
  for (const p of pages) {
    const page = objs.get(p)!;
    let resources = page.dict;
    const resRef = ref(page.dict, 'Resources');
    if (resRef !== null) resources = objs.get(resRef)?.dict ?? '';
    const fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(resources)?.[1] ?? '';
    const fonts = new Map<string, Map<number, string>>();
    for (const [, name, n] of fontDict.matchAll(/\/(\S+?)\s+(\d+) 0 R/g)) {
      const uni = ref(objs.get(Number(n))?.dict ?? '', 'ToUnicode');
      fonts.set(name!, cmap(uni === null ? '' : (objs.get(uni)?.stream?.toString('latin1') ?? '')));
    }
    const contents = /\/Contents\s*(\[[^\]]*\]|\d+ 0 R)/.exec(page.dict)?.[1] ?? '';
    for (const [, n] of contents.matchAll(/(\d+) 0 R/g)) {
      const content = objs.get(Number(n))?.stream?.toString('latin1') ?? '';
      let font = new Map<number, string>();
      let line = '';
      const show = (hex: string) => {
        for (let i = 0; i + 4 <= hex.length; i += 4)
          line += font.get(Number.parseInt(hex.slice(i, i + 4), 16)) ?? '';
      };
      const tokens = /\/(\S+)\s+[\d.]+\s+Tf|\[((?:[^\]])*)\]\s*TJ|<([0-9A-Fa-f]*)>\s*(?:Tj|'|")|\bET\b/g;
      for (const t of content.matchAll(tokens)) {
        if (t[1] !== undefined) font = fonts.get(t[1]) ?? new Map();
        else if (t[2] !== undefined) for (const [, h] of t[2].matchAll(/<([0-9A-Fa-f]*)>/g)) show(h!);
        else if (t[3] !== undefined) show(t[3]);
        else {
          if (line) lines.push(line);
          line = '';
        }
      }
    }
  }
  return lines.join('\n').normalize('NFKC');
}
