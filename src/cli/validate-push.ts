import type { Evidence } from '../contracts/evidence.ts';
import { activePolicySchema, policyDocumentSchema, type ValidationThreshold } from '../contracts/policy.ts';
import type { ValidationEvidence } from '../contracts/validation-evidence.ts';
import { type RemoteOptions, withClient } from './remote.ts';

/** The policy thresholds a run is judged by, and where they came from. */
export interface Judge {
  rules: ValidationThreshold[];
  tier: number | null;
  policyVersion: number | null;
  policySha256: string | null;
  source: string;
}

/**
 * Before a run that will be pushed: checks that the model version exists (a 404 now, not after
 * minutes of work) and fetches the server's active policy thresholds and the model's tier.
 */
export async function fetchJudge(remote: RemoteOptions, target: PushTarget): Promise<Judge> {
  return withClient(remote, async (client) => {
    const model = await client.models.get(target.modelKey);
    await client.versions.get(target.modelKey, target.versionLabel);
    const active = await client.transport.call('GET', '/api/v1/policy', { schema: activePolicySchema });
    const document = policyDocumentSchema.parse(active.document);
    return {
      rules: document.validationThresholds ?? [],
      tier: model.tier ?? null,
      policyVersion: active.version,
      policySha256: active.sha256,
      source: `${client.transport.baseUrl} (active policy)`,
    };
  });
}

/** Where `--push` sends evidence: a model key and version label (`KEY@VERSION`). */
export interface PushTarget {
  modelKey: string;
  versionLabel: string;
  /** The open review the run is produced for (`--review`), recorded on each piece of evidence. */
  reviewId?: string | undefined;
}

/**
 * Attaches a validation run to a model version: `evidence.json` and `report.html` as
 * `validation_report` evidence, and — when fairness was computed — the same JSON as a
 * `fairness_assessment` (the blob store keeps one copy; the checklist item is satisfied by it).
 * Provenance: produced by `assay-validate` at the engine's version, from the input files' hashes.
 */
export async function pushEvidence(
  remote: RemoteOptions,
  target: PushTarget,
  evidence: ValidationEvidence,
  document: string,
  reportHtml: string,
): Promise<Evidence[]> {
  const producedBy = { tool: 'assay-validate', version: evidence.engine.version };
  const inputs = evidence.inputs.map((i) => `${i.role}:${i.path} sha256:${i.sha256} rows:${i.rows}`);
  const json = new TextEncoder().encode(document);
  const html = new TextEncoder().encode(reportHtml);
  const groups = Object.keys(evidence.fairness ?? {});
  return withClient(remote, async (client) => {
    const { modelKey: key, versionLabel: label } = target;
    const attached: Evidence[] = [];
    const meta = (title: string, type: 'validation_report' | 'fairness_assessment') => ({
      type,
      title,
      description: `assay validate run of ${evidence.created_at}`,
      producedBy,
      inputs,
      ...(target.reviewId ? { reviewId: target.reviewId } : {}),
    });
    attached.push(
      await client.evidence.upload(
        key,
        label,
        meta('Validation evidence (assay.validation/v1)', 'validation_report'),
        {
          filename: 'evidence.json',
          mediaType: 'application/json',
          content: json,
        },
      ),
    );
    attached.push(
      await client.evidence.upload(key, label, meta('Validation report', 'validation_report'), {
        filename: 'report.html',
        mediaType: 'text/html',
        content: html,
      }),
    );
    if (groups.length > 0) {
      attached.push(
        await client.evidence.upload(
          key,
          label,
          meta(`Fairness assessment by ${groups.join(', ')}`, 'fairness_assessment'),
          { filename: 'evidence.json', mediaType: 'application/json', content: json },
        ),
      );
    }
    return attached;
  });
}
