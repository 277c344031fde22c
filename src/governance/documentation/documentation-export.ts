import type { Completeness, DocumentExportFormat } from '../../contracts/documentation.ts';
import { htmlToPdf } from './pdf.ts';

// Exports of a card or datasheet revision: Markdown, self-contained HTML, PDF (rendered from the
// HTML) or JSON (the document with its completeness), and the file name each goes out under.

/** An export ready to send. */
export interface DocumentExport {
  body: string | Buffer;
  contentType: string;
  filename: string;
}

/** A name part safe in a file name (letters, digits, `._-`; at most 120 characters). */
export function fileSafe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
}

/** The document in `format`, named `<base>.<format>`. */
export async function renderExport<T>(
  format: DocumentExportFormat,
  base: string,
  doc: T,
  completeness: Completeness,
  md: (d: T, c: Completeness) => string,
  html: (d: T, c: Completeness) => string,
): Promise<DocumentExport> {
  switch (format) {
    case 'md':
      return {
        body: md(doc, completeness),
        contentType: 'text/markdown; charset=utf-8',
        filename: `${base}.md`,
      };
    case 'html':
      return {
        body: html(doc, completeness),
        contentType: 'text/html; charset=utf-8',
        filename: `${base}.html`,
      };
    case 'pdf':
      return {
        body: await htmlToPdf(html(doc, completeness)),
        contentType: 'application/pdf',
        filename: `${base}.pdf`,
      };
    case 'json':
      return {
        body: `${JSON.stringify({ document: doc, completeness }, null, 2)}\n`,
        contentType: 'application/json; charset=utf-8',
        filename: `${base}.json`,
      };
  }
}
