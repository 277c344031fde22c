import type { z } from 'zod';
import type {
  ModelDetail as ContractModelDetail,
  Deployment,
  Model,
  ModelListItem,
  ModelStatus,
  ModelType,
  modelAsOfSchema,
  modelLineageSchema,
} from '../../../src/contracts/inventory.ts';
import type { ModelFilters as SdkModelFilters } from '../../../src/sdk/inventory.ts';
import type { ModelDetail, ModelFilters, ModelLineage, ModelRow } from './api.ts';

/** A model of the API as an inventory row; list items carry completeness, open findings and next review. */
export function toModelRow(m: Model | ModelListItem): ModelRow {
  if (!('openFindings' in m)) return { ...m, tier: m.tier };
  const { completeness, ...rest } = m;
  return { ...rest, tier: m.tier, completeness: completeness.score };
}

/** A model of the API as the model page's view; completeness is the API's derived score. */
export function toModelDetail(m: ContractModelDetail): ModelDetail {
  return {
    ...m,
    links: { ...m.links },
    completeness: m.completeness.score,
    missingFields: m.completeness.missing,
    tierRationale: null,
  };
}

/** A model "as of" a past time: the reconstructed model, its deployments then, no derived score. */
export function toModelDetailAsOf(a: z.infer<typeof modelAsOfSchema>): ModelDetail {
  return {
    ...a.model,
    links: { ...a.model.links },
    completeness: null,
    missingFields: [],
    tierRationale: null,
  };
}

function deploymentView(d: Deployment) {
  return {
    id: d.id,
    environment: d.environment,
    endpoint: d.endpoint,
    startedAt: d.startedAt,
    endedAt: d.endedAt,
  };
}

/** The API's lineage as the lineage graph's input. */
export function toLineage(l: z.infer<typeof modelLineageSchema>): ModelLineage {
  return {
    datasets: l.datasets.map((d) => ({
      id: d.id,
      name: d.name,
      role: d.role,
      sha256: d.sha256,
      containsPii: d.containsPii,
      derivedFrom: d.derivedFrom,
    })),
    versions: l.versions.map((v) => ({
      label: v.label,
      status: v.status,
      frozen: v.frozen,
      createdAt: v.createdAt,
      createdBy: v.createdBy,
      changeSummary: v.changeSummary,
      materialChange: v.materialChange,
      artifactUri: v.artifactUri,
      artifactSha256: v.artifactSha256,
      codeRef: v.codeRepo ? `${v.codeRepo}${v.codeCommit ? ` @ ${v.codeCommit}` : ''}` : v.codeCommit,
      trainingDatasets: v.trainingDatasetIds,
      evaluationDatasets: v.evaluationDatasetIds,
      deployments: v.deployments.map(deploymentView),
    })),
  };
}

/** The console's sort (`name`, `-name`) as the API's `sort` and `order`. */
export function listQueryOf(f: ModelFilters): SdkModelFilters {
  const out: SdkModelFilters = {};
  if (f.q) out.q = f.q;
  if (f.status) out.status = f.status as ModelStatus;
  if (f.tier && /^\d$/.test(f.tier)) out.tier = Number(f.tier);
  if (f.owner) out.owner = f.owner;
  if (f.type) out.type = f.type as ModelType;
  if (f.tag) out.tag = f.tag;
  if (f.businessUnit) out.businessUnit = f.businessUnit;
  if (f.vendor !== undefined) out.vendor = f.vendor;
  if (f.genai !== undefined) out.genai = f.genai;
  const key = f.sort?.replace(/^-/, '');
  if (key && (MODEL_SORTS as readonly string[]).includes(key)) {
    out.sort = key as (typeof MODEL_SORTS)[number];
    out.order = f.sort?.startsWith('-') ? 'desc' : 'asc';
  }
  return out;
}

/** Sort keys the API accepts. */
const MODEL_SORTS = ['name', 'key', 'updatedAt', 'createdAt', 'status', 'tier'] as const;
