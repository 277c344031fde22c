import os from 'node:os';
import path from 'node:path';
import { AcceptancesService } from '../governance/acceptances/acceptances.service.ts';
import { DecisionsService } from '../governance/decisions/decisions.service.ts';
import { DocumentationService } from '../governance/documentation/documentation.service.ts';
import { EvidenceService } from '../governance/evidence/evidence.service.ts';
import { ExceptionsService } from '../governance/exceptions/exceptions.service.ts';
import { LifecycleControls } from '../governance/exceptions/lifecycle-controls.ts';
import { FindingsService } from '../governance/findings/findings.service.ts';
import { GateService } from '../governance/gate/gate.service.ts';
import { DatasetsService } from '../governance/inventory/datasets.service.ts';
import { DEFAULT_REQUIRED_FIELDS } from '../governance/inventory/model-rules.ts';
import { ModelsService } from '../governance/inventory/models.service.ts';
import { VersionsService } from '../governance/inventory/versions.service.ts';
import { PolicyService } from '../governance/policy/policy.service.ts';
import { materialChangeListener } from '../governance/reviews/material-change.ts';
import { ReviewsService } from '../governance/reviews/reviews.service.ts';
import { type BlobStore, LocalBlobStore } from '../platform/blob-store.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';

/**
 * The services the demo seed works through, wired as the composition root wires them (the
 * lifecycle guard included, so the demo follows the same rules as a user). Most demo evidence is
 * links; the evidence computed from the models themselves (demo-model-evidence.ts) is stored in
 * `blobStore` (the server's). Without one, the services get a directory under the system's temporary
 * directory, and the seed attaches no evidence files (seed.ts).
 */
export function demoServices(db: Db, clock: Clock, blobStore?: BlobStore) {
  const policy = new PolicyService(db, clock);
  const models = new ModelsService(db, clock, DEFAULT_REQUIRED_FIELDS);
  const versions = new VersionsService(db, clock, models);
  const datasets = new DatasetsService(db, clock);
  const blobs = blobStore ?? new LocalBlobStore(path.join(os.tmpdir(), 'assay-demo-blobs'));
  const evidence = new EvidenceService(db, clock, blobs, 0, models, versions);
  const reviews = new ReviewsService(db, clock, policy, models, versions, evidence);
  versions.onVersionCreated(materialChangeListener(reviews));
  const docs = new DocumentationService(db, clock, { policy, models, versions, datasets, evidence, blobs });
  reviews.setDocumentStanding((tx, versionId, tier) => docs.standing(tx, versionId, tier));
  const findings = new FindingsService(db, clock, policy, models, versions);
  const decisions = new DecisionsService(db, clock, policy, models, versions, reviews);
  const acceptances = new AcceptancesService(db, clock, policy, models, findings, reviews);
  const gate = new GateService(db, clock, { policy, models, evidence, findings, decisions, acceptances });
  gate.setDocumentStanding((tx, versionId, tier) => docs.standing(tx, versionId, tier));
  const exceptions = new ExceptionsService(db, clock, models);
  const lifecycle = new LifecycleControls(clock, { exceptions, gate, decisions });
  models.setLifecycleGuard(lifecycle);
  gate.setExceptionNotes((tx, model, version) => lifecycle.gateNotes(tx, model, version));
  return {
    policy,
    models,
    versions,
    datasets,
    blobs,
    evidence,
    reviews,
    docs,
    findings,
    decisions,
    acceptances,
    gate,
    exceptions,
  };
}
