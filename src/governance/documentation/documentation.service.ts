import type { Kysely } from 'kysely';
import type { BlobStore } from '../../platform/blob-store.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { EvidenceService } from '../evidence/evidence.service.ts';
import type { DatasetsService } from '../inventory/datasets.service.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import type { VersionsService } from '../inventory/versions.service.ts';
import type { PolicyService } from '../policy/policy.service.ts';
import type { ChecklistDocuments } from '../reviews/review-rules.ts';
import { DatasheetsService } from './datasheets.service.ts';
import { documentStanding } from './document-standing.ts';
import { ModelCardsService } from './model-cards.service.ts';

export type { DocumentExport } from './documentation-export.ts';

type Cards = ModelCardsService;
type Sheets = DatasheetsService;

/**
 * Model cards (per model version) and datasheets (per inventory dataset), behind one service for
 * the routes, the CLI, the audit package and compliance: the use cases are in
 * `model-cards.service.ts` and `datasheets.service.ts`, how documents stand against the policy in
 * `document-standing.ts`, exports in `documentation-export.ts`, and every read of another
 * feature's tables in the read model `documentation.queries.ts`.
 */
export class DocumentationService {
  readonly cards: ModelCardsService;
  readonly datasheets: DatasheetsService;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly deps: {
      policy: PolicyService;
      models: ModelsService;
      versions: VersionsService;
      datasets: DatasetsService;
      evidence: EvidenceService;
      blobs: BlobStore;
    },
  ) {
    this.cards = new ModelCardsService(db, clock, deps);
    this.datasheets = new DatasheetsService(db, clock, deps);
  }

  // ---- model cards -------------------------------------------------------------------------
  getCard(...a: Parameters<Cards['getCard']>) {
    return this.cards.getCard(...a);
  }
  cardRevisions(...a: Parameters<Cards['cardRevisions']>) {
    return this.cards.cardRevisions(...a);
  }
  saveCard(...a: Parameters<Cards['saveCard']>) {
    return this.cards.saveCard(...a);
  }
  publishCard(...a: Parameters<Cards['publishCard']>) {
    return this.cards.publishCard(...a);
  }
  cardCompleteness(...a: Parameters<Cards['cardCompleteness']>) {
    return this.cards.cardCompleteness(...a);
  }
  draftCard(...a: Parameters<Cards['draftCard']>) {
    return this.cards.draftCard(...a);
  }
  exportCard(...a: Parameters<Cards['exportCard']>) {
    return this.cards.exportCard(...a);
  }

  // ---- datasheets --------------------------------------------------------------------------
  getDatasheet(...a: Parameters<Sheets['getDatasheet']>) {
    return this.datasheets.getDatasheet(...a);
  }
  datasheetRevisions(...a: Parameters<Sheets['datasheetRevisions']>) {
    return this.datasheets.datasheetRevisions(...a);
  }
  saveDatasheet(...a: Parameters<Sheets['saveDatasheet']>) {
    return this.datasheets.saveDatasheet(...a);
  }
  publishDatasheet(...a: Parameters<Sheets['publishDatasheet']>) {
    return this.datasheets.publishDatasheet(...a);
  }
  datasheetCompleteness(...a: Parameters<Sheets['datasheetCompleteness']>) {
    return this.datasheets.datasheetCompleteness(...a);
  }
  draftDatasheet(...a: Parameters<Sheets['draftDatasheet']>) {
    return this.datasheets.draftDatasheet(...a);
  }
  exportDatasheet(...a: Parameters<Sheets['exportDatasheet']>) {
    return this.datasheets.exportDatasheet(...a);
  }

  // ---- the checklist -----------------------------------------------------------------------

  /**
   * How the version's published card and its datasets' published datasheets stand for the tier:
   * what the review checklist counts for `model_card` and `data_sheet`. Reads inside `tx`.
   */
  standing(tx: Kysely<Database>, versionId: string, tier: number | null): Promise<ChecklistDocuments> {
    return documentStanding(tx, { clock: this.clock, policy: this.deps.policy }, versionId, tier);
  }
}
