import type { z } from 'zod';
import type {
  ModelDetail as ContractModelDetail,
  Deployment,
  Model,
  modelAsOfSchema,
  modelLineageSchema,
} from '../../../src/contracts/inventory.ts';
import type { ModelDetail, ModelFilters, ModelLineage, ModelRow } from './api.ts';

/** A model of the API as an inventory row (workflow figures join in when their API has them). */
export function toModelRow(m: Model): ModelRow {
  return { ...m, tier: m.tier };
}

/** A model of the API as the model page's view; completeness is the API's derived score. */
export function toModelDetail(m: ContractModelDetail): ModelDetail {
  return {
    ...m,
    links: { ...m.links },
    completeness: m.completeness.score,
    missingFields: m.completeness.missing,
    tierRationale: null,
    euAiActClass: null,
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
    euAiActClass: null,
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
export function listQueryOf(f: ModelFilters): Record<string, string | number | boolean | undefined> {
  const { sort, ...rest } = f;
  const desc = sort?.startsWith('-') ?? false;
  return { ...rest, sort: sort ? sort.replace(/^-/, '') : undefined, order: desc ? 'desc' : undefined };
}
