import {
  type CatalogFile,
  type CatalogRequirement,
  type CatalogSummary,
  type CrosswalkFile,
  catalogFileSchema,
  crosswalkFileSchema,
} from '../../contracts/compliance.ts';
import assayControls from './catalogs/assay-controls.json' with { type: 'json' };
import assayCrosswalk from './catalogs/crosswalk-assay.json' with { type: 'json' };
import finosCrosswalk from './catalogs/crosswalk-finos.json' with { type: 'json' };
import euAiAct from './catalogs/eu-ai-act.json' with { type: 'json' };
import iso42001 from './catalogs/iso-42001.json' with { type: 'json' };
import nistAi6001 from './catalogs/nist-ai-600-1.json' with { type: 'json' };
import nistAiRmf from './catalogs/nist-ai-rmf.json' with { type: 'json' };
import sr262 from './catalogs/sr-26-2.json' with { type: 'json' };

/** The catalog files shipped with Assay, by file name (docs/compliance.md lists their sources and licences). */
export const CATALOG_FILES: Readonly<Record<string, unknown>> = {
  'eu-ai-act.json': euAiAct,
  'nist-ai-rmf.json': nistAiRmf,
  'nist-ai-600-1.json': nistAi6001,
  'iso-42001.json': iso42001,
  'sr-26-2.json': sr262,
  'assay-controls.json': assayControls,
};

export const CROSSWALK_FILES: Readonly<Record<string, unknown>> = {
  'crosswalk-assay.json': assayCrosswalk,
  'crosswalk-finos.json': finosCrosswalk,
};

/** Validates one catalog file; the error names the file and the path of each problem. */
export function parseCatalog(name: string, data: unknown): CatalogFile {
  const res = catalogFileSchema.safeParse(data);
  if (!res.success)
    throw new Error(
      `catalog ${name}: ${res.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  const seen = new Set<string>();
  for (const [i, r] of res.data.requirements.entries()) {
    if (seen.has(r.id)) throw new Error(`catalog ${name}: requirements.${i}.id: duplicate '${r.id}'`);
    seen.add(r.id);
  }
  for (const [i, r] of res.data.requirements.entries())
    if (r.parent && !seen.has(r.parent))
      throw new Error(`catalog ${name}: requirements.${i}.parent: '${r.parent}' is not in the catalog`);
  return res.data;
}

export function parseCrosswalk(name: string, data: unknown): CrosswalkFile {
  const res = crosswalkFileSchema.safeParse(data);
  if (!res.success)
    throw new Error(
      `crosswalk ${name}: ${res.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  return res.data;
}

/** The shipped catalogs, validated once. */
export class Catalogs {
  readonly catalogs: readonly CatalogFile[];
  readonly crosswalks: readonly CrosswalkFile[];
  private readonly byRef = new Map<string, { catalog: CatalogFile; requirement: CatalogRequirement }>();

  constructor(
    catalogFiles: Readonly<Record<string, unknown>> = CATALOG_FILES,
    crosswalkFiles: Readonly<Record<string, unknown>> = CROSSWALK_FILES,
  ) {
    this.catalogs = Object.entries(catalogFiles).map(([n, d]) => parseCatalog(n, d));
    for (const catalog of this.catalogs)
      for (const requirement of catalog.requirements)
        this.byRef.set(`${catalog.id}:${requirement.id}`, { catalog, requirement });
    this.crosswalks = Object.entries(crosswalkFiles).map(([n, d]) => parseCrosswalk(n, d));
    for (const cw of this.crosswalks)
      for (const [i, e] of cw.edges.entries())
        for (const end of [e.from, e.to])
          if (!this.byRef.has(end))
            throw new Error(`crosswalk ${cw.id}: edges.${i}: '${end}' is not a requirement of a catalog`);
  }

  catalog(id: string): CatalogFile | undefined {
    return this.catalogs.find((c) => c.id === id);
  }

  find(ref: string): { catalog: CatalogFile; requirement: CatalogRequirement } | undefined {
    return this.byRef.get(ref);
  }

  summaries(): CatalogSummary[] {
    return this.catalogs.map(({ requirements, ...rest }) => ({
      ...rest,
      requirementCount: requirements.length,
    }));
  }
}

let shipped: Catalogs | null = null;
/** The shipped catalogs (parsed and checked on first use). */
export function shippedCatalogs(): Catalogs {
  shipped ??= new Catalogs();
  return shipped;
}
