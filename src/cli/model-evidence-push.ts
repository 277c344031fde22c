import type { Evidence } from '../contracts/evidence.ts';
import { CliError } from './exit.ts';
import { type RemoteOptions, withClient } from './remote.ts';
import type { PushTarget } from './validate-push.ts';

/** A document from the model itself (assay.explain/v1, assay.robustness/v1) and its report. */
export interface ModelEvidenceDocument {
  schema: string;
  created_at: string;
  engine: { version: string };
  inputs: { role: string; path: string; sha256: string; rows: number }[];
  model: { kind: string; source: string; artifact_sha256: string | null; evaluations: number };
}

/**
 * Before a long run that will be pushed: the model version exists, and when the run scores an
 * ONNX artifact and the version registers an artifact hash, they are the same file (refused
 * otherwise: evidence about another model would be attached to this version).
 */
export async function checkPushTarget(
  remote: RemoteOptions,
  target: PushTarget,
  artifactSha256: string | null,
): Promise<void> {
  await withClient(remote, async (client) => {
    const version = await client.versions.get(target.modelKey, target.versionLabel);
    const registered = version.artifactSha256 ?? null;
    if (artifactSha256 !== null && registered !== null && registered !== artifactSha256) {
      throw new CliError(
        `the model file's SHA-256 (${artifactSha256.slice(0, 12)}…) is not the artifact registered for ${target.modelKey}@${target.versionLabel} (${registered.slice(0, 12)}…): evidence about another model is not attached`,
      );
    }
  });
}

/** Attaches the JSON document and its HTML report as `test_results` evidence of the version. */
export async function pushModelEvidence(
  remote: RemoteOptions,
  target: PushTarget,
  evidence: ModelEvidenceDocument,
  title: string,
  tool: string,
  document: string,
  reportHtml: string,
): Promise<Evidence[]> {
  const inputs = [
    ...evidence.inputs.map((i) => `${i.role}:${i.path} sha256:${i.sha256} rows:${i.rows}`),
    `model:${evidence.model.kind}:${evidence.model.source}${evidence.model.artifact_sha256 ? ` sha256:${evidence.model.artifact_sha256}` : ''} evaluations:${evidence.model.evaluations}`,
  ];
  return withClient(remote, async (client) => {
    const meta = (t: string) => ({
      type: 'test_results' as const,
      title: t,
      description: `${tool} run of ${evidence.created_at}`,
      producedBy: { tool, version: evidence.engine.version },
      inputs,
      ...(target.reviewId ? { reviewId: target.reviewId } : {}),
    });
    const attached: Evidence[] = [];
    attached.push(
      await client.evidence.upload(
        target.modelKey,
        target.versionLabel,
        meta(`${title} (${evidence.schema})`),
        {
          filename: 'evidence.json',
          mediaType: 'application/json',
          content: new TextEncoder().encode(document),
        },
      ),
    );
    attached.push(
      await client.evidence.upload(target.modelKey, target.versionLabel, meta(`${title} report`), {
        filename: 'report.html',
        mediaType: 'text/html',
        content: new TextEncoder().encode(reportHtml),
      }),
    );
    return attached;
  });
}
