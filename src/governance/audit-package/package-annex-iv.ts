import type { Caller } from '../../platform/auth/caller.ts';
import { shippedCatalogs } from '../compliance/catalogs.ts';
import type { PackageZip } from './package-zip.ts';

/** What the package reads the Annex IV documentation from (the compliance feature's AnnexIvService). */
export interface AnnexIvSource {
  export(
    caller: Caller,
    key: string,
    label: string | undefined,
    format: 'md' | 'html',
  ): Promise<{ body: string | Buffer }>;
}

export const ANNEX_IV_FORMAT = 'eu-ai-act-annex-iv';

/**
 * EU AI Act Annex IV technical documentation in the package: for a high-risk model, each version's
 * document (Markdown under standard/, named in the manifest's `standard` list so `verify` checks
 * it lists every Annex IV item, and HTML beside the cards). The document is computed from the
 * records as they are now, so a package "as of" an earlier time carries none.
 */
export async function addAnnexIv(o: {
  zip: PackageZip;
  caller: Caller;
  source: AnnexIvSource | null;
  modelKey: string;
  euAiActClass: unknown;
  labels: readonly string[];
  asOf: string | null;
  fileSafe: (s: string) => string;
}): Promise<{
  standard: { label: string; path: string; format: typeof ANNEX_IV_FORMAT; subject: string }[];
  /** The HTML renderings, for the index only. */
  html: { label: string; path: string }[];
}> {
  const standard: Awaited<ReturnType<typeof addAnnexIv>>['standard'] = [];
  const htmls: Awaited<ReturnType<typeof addAnnexIv>>['html'] = [];
  if (!o.source || o.asOf !== null || o.euAiActClass !== 'high_risk') return { standard, html: htmls };
  for (const label of o.labels) {
    const md = `standard/annex-iv-${o.fileSafe(label)}.md`;
    const html = `documentation/annex-iv-${o.fileSafe(label)}.html`;
    o.zip.addBytes(md, (await o.source.export(o.caller, o.modelKey, label, 'md')).body);
    o.zip.addBytes(html, (await o.source.export(o.caller, o.modelKey, label, 'html')).body);
    const title = `EU AI Act Annex IV technical documentation ${label}`;
    standard.push({ label: title, path: md, format: ANNEX_IV_FORMAT, subject: label });
    htmls.push({ label: `${title} (HTML)`, path: html });
  }
  return { standard, html: htmls };
}

/**
 * Null when the Markdown is Annex IV documentation listing every Annex IV item of the shipped EU
 * AI Act catalog, each with its status; else what is wrong.
 */
export function annexIvProblem(md: string): string | null {
  if (!md.startsWith('# EU AI Act Annex IV technical documentation'))
    return 'is not EU AI Act Annex IV technical documentation (title missing)';
  const missing: string[] = [];
  for (const ref of annexIvReferences()) {
    const at = md.indexOf(`\n## ${ref}: `);
    if (at < 0 || !/^[^\n]*\n\n\*\*Status:\*\* /.test(md.slice(at + 1))) missing.push(ref);
  }
  return missing.length ? `does not list ${missing.join(', ')} with a status` : null;
}

/** The Annex IV items' references ("Annex IV 1a" …) in the shipped EU AI Act catalog. */
function annexIvReferences(): string[] {
  const eu = shippedCatalogs().catalog('eu-ai-act');
  return (eu?.requirements ?? []).filter((r) => r.kind === 'annex-item').map((r) => r.reference);
}
