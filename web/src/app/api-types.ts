import type { z } from 'zod';
import type { AuditEvent as ContractAuditEvent } from '../../../src/contracts/audit.ts';
import type {
  Completeness as DocumentCompleteness,
  DocumentRevision,
  ModelCard,
} from '../../../src/contracts/documentation.ts';
import type { Me as ContractMe, PageOf } from '../../../src/contracts/identity.ts';
import type {
  ModelDetail as ContractModelDetail,
  Dataset,
  Deployment,
  Model,
  ModelListItem,
  modelRelationsSchema,
  Version,
} from '../../../src/contracts/inventory.ts';
import type { EvidenceType } from '../../../src/contracts/policy.ts';

/*
 * The types of the console's data layer (api.ts): the contracts' own (z.infer), or views the
 * console derives from them (picked fields, a joined or computed field named in each one).
 */

/** The signed-in user (the contract's `Me`). */
export type Me = ContractMe;

/** A page of a list (the contract's page). */
export type Page<T> = PageOf<T>;

/** One row of the inventory: a model, with the list's derived columns where the list gave them. */
export type ModelRow = Model &
  Partial<Pick<ModelListItem, 'openFindings' | 'nextReviewDate' | 'exception'>> & {
    /** The completeness score (the API's `completeness.score`). */
    completeness?: number | null;
  };

/** Inventory filters and sort as the console's URL holds them (`sort: '-name'` sorts descending). */
export interface ModelFilters {
  q?: string | undefined;
  status?: string | undefined;
  tier?: string | undefined;
  owner?: string | undefined;
  type?: string | undefined;
  tag?: string | undefined;
  vendor?: boolean | undefined;
  genai?: boolean | undefined;
  businessUnit?: string | undefined;
  sort?: string | undefined;
}

/** A model with everything its overview shows: the contract's detail, completeness split in two. */
export type ModelDetail = Omit<ContractModelDetail, 'completeness'> &
  Omit<ModelRow, keyof Model> & {
    missingFields: string[];
    /** The rationale of the tier (the latest tiering's). */
    tierRationale: string | null;
  };

/** A dataset as lineage shows it. */
export type DatasetNode = Pick<Dataset, 'id' | 'name' | 'role' | 'sha256' | 'containsPii' | 'derivedFrom'>;

/** A deployment of a version. */
export type DeploymentRow = Pick<Deployment, 'id' | 'environment' | 'endpoint' | 'startedAt' | 'endedAt'>;

/** A version with its lineage: the contract's version, its code reference and datasets renamed for the graph. */
export type VersionLineage = Pick<
  Version,
  | 'label'
  | 'frozen'
  | 'createdAt'
  | 'createdBy'
  | 'changeSummary'
  | 'materialChange'
  | 'artifactUri'
  | 'artifactSha256'
> & {
  status: string;
  /** `codeRepo @ codeCommit`. */
  codeRef: string | null;
  trainingDatasets: string[];
  evaluationDatasets: string[];
  deployments: DeploymentRow[];
};

/** A model's lineage: versions, every dataset they reach (ancestors included). */
export interface ModelLineage {
  versions: VersionLineage[];
  datasets: DatasetNode[];
}

/** One audit event (the contract's). */
export type AuditEventRow = ContractAuditEvent;

/** A version's model card as the model page shows it (read-only). */
export interface ModelCardView {
  card: ModelCard | null;
  revisions: DocumentRevision[];
  completeness: DocumentCompleteness | null;
}

/** A model's people: one owner, developers and validators (the relations contract). */
export type ModelRelations = z.infer<typeof modelRelationsSchema>;

/** Where evidence goes: a model version, as one evidence type of its checklist. */
export interface EvidenceTarget {
  modelKey: string;
  versionLabel: string;
  type: EvidenceType;
  /** The open review the evidence is produced for (it then counts for that review's cycle). */
  reviewId?: string;
}

/** A file the server sends for download, with the name it suggests. */
export interface Download {
  blob: Blob;
  filename: string | null;
}
