import { parse as parseYaml } from 'yaml';
import type { CatalogFile, CrosswalkEdge, CrosswalkFile } from '../../contracts/compliance.ts';

/**
 * Importer for the FINOS AI Governance Framework's mappings (CC BY 4.0,
 * github.com/finos/ai-governance-framework): Jekyll pages with YAML front matter,
 * `docs/_risks/ri-*.md` (eu-ai-act_references, nist-ai-600-1_references) and
 * `docs/_mitigations/mi-*.md` (iso-42001_references, mitigates: [ri-…]). Two requirements named by
 * the same risk, or by a mitigation and a risk it mitigates, become a `related` edge of low
 * confidence whose source names the FINOS page. Pure: give it the files' texts.
 */

export interface FinosFile {
  /** Path inside the FINOS repository, e.g. `docs/_risks/ri-16_bias-and-discrimination.md`. */
  path: string;
  text: string;
}

export interface FinosImport {
  crosswalk: CrosswalkFile;
  /** References that name nothing in Assay's catalogs (FINOS id and why). */
  skipped: string[];
}

interface Page {
  id: string;
  path: string;
  title: string;
  eu: string[];
  gai: string[];
  iso: string[];
  mitigates: string[];
}

const LICENCE = 'CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)';
const ATTRIBUTION =
  'FINOS AI Governance Framework, © FINOS and its contributors, licensed under CC BY 4.0; ' +
  'https://github.com/finos/ai-governance-framework. Changes: front-matter references converted into crosswalk edges.';

function frontMatter(file: FinosFile): Record<string, unknown> {
  const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(file.text);
  if (!m?.[1]) throw new Error(`${file.path}: no YAML front matter (--- … ---) at line 1`);
  try {
    const data = parseYaml(m[1]) as unknown;
    if (!data || typeof data !== 'object') throw new Error('not a mapping');
    return data as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${file.path}: front matter: ${(e as Error).message}`);
  }
}

function list(fm: Record<string, unknown>, key: string, path: string): string[] {
  const v = fm[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' && typeof x !== 'number'))
    throw new Error(`${path}: ${key} must be a list of ids`);
  return v.map(String);
}

function page(file: FinosFile): Page | null {
  const name = file.path.split('/').pop() ?? file.path;
  const id = /^((?:ri|mi)-\d+)_/.exec(name)?.[1];
  if (!id) return null;
  const fm = frontMatter(file);
  return {
    id,
    path: file.path,
    title: typeof fm.title === 'string' ? fm.title : id,
    eu: list(fm, 'eu-ai-act_references', file.path),
    gai: list(fm, 'nist-ai-600-1_references', file.path),
    iso: list(fm, 'iso-42001_references', file.path),
    mitigates: list(fm, 'mitigates', file.path),
  };
}

/** Maps FINOS reference ids to Assay requirement refs (`catalog:requirement`), or says why not. */
export function finosRefMapper(catalogs: readonly CatalogFile[]) {
  const eu = catalogs.find((c) => c.id === 'eu-ai-act');
  const iso = catalogs.find((c) => c.id === 'iso-42001');
  const gai = catalogs.find((c) => c.id === 'nist-ai-600-1');
  return {
    eu(ref: string): string {
      const art = /^c\d+(?:-s\d+)?-a(\d+)$/.exec(ref)?.[1];
      if (!art) throw new Error(`eu-ai-act reference '${ref}' is not c<chapter>[-s<section>]-a<article>`);
      const first = eu?.requirements.find((r) => r.group === `Art. ${art}`);
      return first ? `eu-ai-act:${first.id}` : `!Art. ${art} is not in Assay's EU AI Act catalog`;
    },
    gai(ref: string): string {
      const n = /^2-(\d+)$/.exec(ref)?.[1];
      const id = n ? `gai-risk-${n.padStart(2, '0')}` : null;
      return id && gai?.requirements.some((r) => r.id === id)
        ? `nist-ai-600-1:${id}`
        : `!NIST AI 600-1 '${ref}' is not a GAI risk section`;
    },
    iso(ref: string): string {
      const id = ref.replace(/-/g, '.');
      return iso?.requirements.some((r) => r.id === id)
        ? `iso-42001:${id}`
        : `!ISO/IEC 42001 '${ref}' is not an Annex A control`;
    },
  };
}

/** Builds the crosswalk from FINOS risk and mitigation pages. */
export function importFinos(files: readonly FinosFile[], catalogs: readonly CatalogFile[]): FinosImport {
  const map = finosRefMapper(catalogs);
  const skipped = new Set<string>();
  const pages = files.map(page).filter((p): p is Page => p !== null);
  const risks = new Map(pages.filter((p) => p.id.startsWith('ri-')).map((p) => [p.id, p]));
  const refsOf = (p: Page, kinds: ('eu' | 'gai' | 'iso')[]) => {
    const out: string[] = [];
    for (const kind of kinds)
      for (const r of p[kind]) {
        const m = map[kind](r);
        if (m.startsWith('!')) skipped.add(`${p.id} ${kind} ${r}: ${m.slice(1)}`);
        else out.push(m);
      }
    return [...new Set(out)];
  };
  const edges = new Map<string, CrosswalkEdge>();
  const add = (a: string, b: string, source: string) => {
    if (a === b) return;
    const [from, to] = a < b ? [a, b] : [b, a];
    const key = `${from}|${to}`;
    const prev = edges.get(key);
    if (prev) {
      if (!prev.source.includes(source)) prev.source = `${prev.source}; ${source}`;
      return;
    }
    edges.set(key, { from, to, relationship: 'related', confidence: 'low', source, licence: LICENCE });
  };
  for (const risk of risks.values()) {
    const eu = refsOf(risk, ['eu']);
    const gai = refsOf(risk, ['gai']);
    for (const a of eu) for (const b of gai) add(a, b, `FINOS ${risk.path} (${risk.id} ${risk.title})`);
  }
  for (const mi of pages.filter((p) => p.id.startsWith('mi-'))) {
    const iso = refsOf(mi, ['iso']);
    for (const riskId of mi.mitigates) {
      const risk = risks.get(riskId);
      if (!risk) continue;
      for (const a of iso)
        for (const b of refsOf(risk, ['eu', 'gai']))
          add(a, b, `FINOS ${mi.path} (${mi.id} ${mi.title}) mitigates ${risk.id}`);
    }
  }
  return {
    crosswalk: {
      id: 'finos-ai-governance-framework',
      title: 'FINOS AI Governance Framework mappings (risks and mitigations)',
      source: 'https://github.com/finos/ai-governance-framework',
      licence: LICENCE,
      attribution: ATTRIBUTION,
      edges: [...edges.values()].sort((x, y) => `${x.from}${x.to}`.localeCompare(`${y.from}${y.to}`)),
    },
    skipped: [...skipped].sort(),
  };
}
