import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import type { EvidenceCreate } from '../../contracts/evidence.ts';
import type { ValidationJobParams } from '../../contracts/jobs.ts';
import type { ValidationEvidence } from '../../contracts/validation-evidence.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/schema.ts';
import { NotFoundError, UnprocessableError } from '../../platform/errors.ts';
import type { JobHandler } from '../../platform/jobs/jobs.service.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import type { VersionsService } from '../inventory/versions.service.ts';
import type { PolicyService } from '../policy/policy.service.ts';
import type { EvidenceService } from './evidence.service.ts';
import type { EvidenceRow } from './evidence.store.ts';

/** The file formats `assay validate` reads, by the evidence file's name. */
const READABLE = /\.(csv|tsv|parquet|json|jsonl|ndjson)(\.gz)?$/i;

/**
 * `validation.run` as a background job: `assay validate` run by a worker on evidence files already
 * attached to the model (the data and, optionally, a reference), judged by the active policy's
 * thresholds and the model's tier, its `evidence.json` and `report.html` (and, with fairness
 * groups, a fairness assessment) attached to the version as `assay validate --push` attaches them.
 * The run's files go to the blob store on every attempt (content-addressed: nothing stored twice);
 * the evidence rows and their audit events are written with the job's completion, so a job
 * delivered again, or twice at once, attaches its evidence once.
 */
export function validationJob(deps: {
  evidence: EvidenceService;
  models: ModelsService;
  versions: VersionsService;
  policy: PolicyService;
  clock: Clock;
}): JobHandler<ValidationJobParams> {
  /** The caller may attach evidence to the version, and the inputs are readable files of the model. */
  const check = async (caller: Caller, p: ValidationJobParams) => {
    const model = await deps.models.authorize(caller.principal, p.model, 'evidence.write');
    await deps.versions.find(model, p.version);
    const input = async (id: string, role: string): Promise<EvidenceRow & { blob_sha256: string }> => {
      const row = await deps.evidence.row(id);
      if (!row || row.model_id !== model.id) throw new NotFoundError(`${role} evidence`, id);
      if (!row.blob_sha256) throw new UnprocessableError(`${role} evidence '${id}' has no file`);
      if (!READABLE.test(row.filename ?? ''))
        throw new UnprocessableError(
          `${role} evidence '${id}' is not a CSV, TSV, Parquet or JSON file (by its name '${row.filename ?? ''}')`,
        );
      return row as EvidenceRow & { blob_sha256: string };
    };
    const data = await input(p.data, 'data');
    const reference = p.reference ? await input(p.reference, 'reference') : undefined;
    return { model, data, reference };
  };

  return {
    async authorize(caller, params) {
      const { model } = await check(caller, params);
      return { subject: model.key };
    },
    async run(ctx) {
      const p = ctx.params;
      const { model, data, reference } = await check(ctx.caller, p);
      const dir = await mkdtemp(path.join(tmpdir(), 'assay-validation-job-'));
      try {
        // The engine reads files: each input is copied out of the blob store (hash checked on read).
        const local = async (row: EvidenceRow & { blob_sha256: string }, role: string) => {
          const file = path.join(dir, `${role}-${path.basename(row.filename!)}`);
          await pipeline(ctx.blobs.open(row.blob_sha256), createWriteStream(file));
          return file;
        };
        ctx.progress({ stage: 'fetching inputs' });
        const dataFile = await local(data, 'data');
        const referenceFile = reference ? await local(reference, 'reference') : undefined;
        const active = await deps.policy.active().catch((err: unknown) => {
          if (err instanceof NotFoundError) return null;
          throw err;
        });
        const judge = active
          ? {
              rules: active.document.validationThresholds ?? [],
              tier: model.tier ?? null,
              policyVersion: active.version,
              policySha256: active.sha256,
              source: `server (active policy v${active.version})`,
            }
          : undefined;
        // The engine (DuckDB) is loaded by the first validation job, not at server start.
        const { validate, renderReport, InputError } = await import('../../engine/index.ts');
        let evidence: ValidationEvidence;
        try {
          evidence = await validate({
            data: dataFile,
            ...(referenceFile ? { reference: referenceFile } : {}),
            ...(p.label !== undefined ? { label: p.label } : {}),
            ...(p.score !== undefined ? { score: p.score } : {}),
            ...(p.prediction !== undefined ? { prediction: p.prediction } : {}),
            ...(p.task !== undefined ? { task: p.task } : {}),
            ...(p.threshold !== undefined ? { threshold: p.threshold } : {}),
            ...(p.positiveLabel !== undefined ? { positiveLabel: p.positiveLabel } : {}),
            ...(p.weight !== undefined ? { weight: p.weight } : {}),
            ...(p.groups !== undefined ? { groups: p.groups } : {}),
            ...(p.features !== undefined ? { features: p.features } : {}),
            ...(p.categorical !== undefined ? { categorical: p.categorical } : {}),
            ...(p.minGroupSize !== undefined ? { minGroupSize: p.minGroupSize } : {}),
            ...(p.confidence !== undefined ? { confidence: p.confidence } : {}),
            ...(judge ? { judge } : {}),
            now: deps.clock.now(),
            progress: ({ stage, fraction }) =>
              ctx.progress({ stage, done: Math.round(fraction * 100), total: 100 }),
          });
        } catch (err) {
          // Bad columns or options do not get better with retries.
          if (err instanceof InputError) throw new UnprocessableError(err.message);
          throw err;
        }
        ctx.progress({ stage: 'storing evidence', done: 100, total: 100 });
        const document = Buffer.from(`${JSON.stringify(evidence, null, 2)}\n`);
        const html = Buffer.from(renderReport(evidence));
        const [json, report] = [
          await ctx.blobs.put(Readable.from([document]), Number.MAX_SAFE_INTEGER),
          await ctx.blobs.put(Readable.from([html]), Number.MAX_SAFE_INTEGER),
        ];
        const names = new Map([
          [dataFile, `evidence ${data.id} (${data.filename})`],
          ...(reference && referenceFile
            ? [[referenceFile, `evidence ${reference.id} (${reference.filename})`] as const]
            : []),
        ]);
        const inputs = evidence.inputs.map(
          (i) => `${i.role}:${names.get(i.path) ?? path.basename(i.path)} sha256:${i.sha256} rows:${i.rows}`,
        );
        const groups = Object.keys(evidence.fairness ?? {});
        const meta = (title: string, type: 'validation_report' | 'fairness_assessment'): EvidenceCreate => ({
          type,
          title,
          description: `assay validate run of ${evidence.created_at} (job ${ctx.jobId})`,
          producedBy: { tool: 'assay-validate', version: evidence.engine.version },
          inputs,
          ...(p.reviewId ? { reviewId: p.reviewId } : {}),
        });
        const jsonFile = { ...json, filename: 'evidence.json', mediaType: 'application/json' };
        const htmlFile = { ...report, filename: 'report.html', mediaType: 'text/html' };
        return {
          result: {
            evidenceSha256: json.sha256,
            reportSha256: report.sha256,
            findings: (evidence as { findings?: unknown[] }).findings?.length ?? 0,
            fairnessGroups: groups,
          },
          effect: async (tx: Kysely<Database>) => {
            const at = (m: EvidenceCreate, f: typeof jsonFile) =>
              deps.evidence.attachIn(tx, ctx.caller, model.key, p.version, m, f);
            await at(meta('Validation evidence (assay.validation/v1)', 'validation_report'), jsonFile);
            await at(meta('Validation report', 'validation_report'), htmlFile);
            if (groups.length > 0)
              await at(meta(`Fairness assessment by ${groups.join(', ')}`, 'fairness_assessment'), jsonFile);
          },
        };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
