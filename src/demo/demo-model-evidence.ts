import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { Evidence } from '../contracts/evidence.ts';
import type { EvidenceService } from '../governance/evidence/evidence.service.ts';
import type { Caller } from '../platform/auth/caller.ts';
import type { BlobStore } from '../platform/blob-store.ts';
import type { Clock } from '../platform/clock.ts';
import { installRoot } from '../platform/install-root.ts';

/**
 * The demo models that have a real artifact: an ONNX file in data/models/ (made by
 * scripts/reference/make_model_fixtures.py), registered on their current version with its
 * SHA-256, run by the engine at seed time for explanation and stress evidence on the data named.
 */
export const DEMO_MODEL_ARTIFACTS = [
  {
    key: 'income-propensity',
    version: '2.0.0',
    validator: 'val.victor',
    artifact: 'data/models/income-propensity.onnx',
    data: 'data/adult/adult_scored_reference.csv',
    label: 'label',
    scoring: 'accuracy',
    spec: 'data/models/income-propensity.stress.yaml',
    threshold: 0.5,
    maxRows: 1000,
  },
  {
    key: 'retail-credit-pd',
    version: '4.0',
    validator: 'val.wen',
    artifact: 'data/models/retail-credit-pd.onnx',
    data: 'data/models/credit-applications.csv',
    label: 'defaulted',
    scoring: 'roc_auc',
    spec: 'data/models/retail-credit-pd.stress.yaml',
    // a PD model refers applications above 20% to an underwriter
    threshold: 0.2,
    maxRows: 2000,
  },
] as const;

type DemoArtifact = (typeof DEMO_MODEL_ARTIFACTS)[number];

const inRepo = (file: string) => path.join(installRoot(), file);

/** The registered artifact of a demo model's version (its file:// URL and SHA-256), or null. */
export function demoArtifact(
  key: string,
  label: string,
): { artifactUri: string; artifactSha256: string } | null {
  const a = DEMO_MODEL_ARTIFACTS.find((x) => x.key === key && x.version === label);
  if (!a) return null;
  const file = inRepo(a.artifact);
  return {
    artifactUri: pathToFileURL(file).href,
    artifactSha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
  };
}

/** A document (JSON) and its HTML report, attached as test results by the validator. */
interface ModelDocument {
  schema: string;
  created_at: string;
  engine: { version: string };
  inputs: { role: string; path: string; sha256: string; rows: number }[];
  model: { kind: string; source: string; artifact_sha256: string | null; evaluations: number };
}

/**
 * Runs `assay explain` and `assay stress` (the engine, in process) on each demo model with an
 * artifact and attaches the evidence documents and their reports to its version, as a validator
 * pushing them would: the model version's report page then shows importance, partial dependence
 * and stress results, and its model card draft an explainability section. Returns how many
 * evidence records were attached.
 */
export async function seedDemoModelEvidence(
  evidence: EvidenceService,
  blobs: BlobStore,
  clock: Clock,
  person: (username: string) => Caller,
): Promise<number> {
  // Loaded here: only the seed runs the model (onnxruntime-node stays out of other paths).
  const [{ explain }, { stress }, { renderExplainReport }, { renderRobustnessReport }] = await Promise.all([
    import('../engine/explain/explain.ts'),
    import('../engine/stress/stress.ts'),
    import('../engine/report/explain-report.ts'),
    import('../engine/report/robustness-report.ts'),
  ]);
  let count = 0;
  for (const a of DEMO_MODEL_ARTIFACTS) {
    const registered = demoArtifact(a.key, a.version)?.artifactSha256;
    const common = { model: inRepo(a.artifact), data: inRepo(a.data), label: a.label, seed: 0 };
    const explained = await explain({
      ...common,
      scoring: a.scoring,
      maxRows: a.maxRows,
      now: clock.now(),
    });
    const stressed = await stress({
      ...common,
      spec: inRepo(a.spec),
      threshold: a.threshold,
      maxRows: a.maxRows,
      now: clock.now(),
    });
    for (const doc of [explained, stressed]) relativePaths(doc);
    const runs: [ModelDocument, string, string, string][] = [
      [explained, renderExplainReport(explained), 'Model explanation', 'assay-explain'],
      [stressed, renderRobustnessReport(stressed), 'Model robustness', 'assay-stress'],
    ];
    for (const [doc, html, title, tool] of runs) {
      // As `--push` checks: evidence about another file is never attached to this version.
      if (doc.model.artifact_sha256 !== registered)
        throw new Error(`demo ${a.key}@${a.version}: the evidence's model is not the registered artifact`);
      await attach(evidence, blobs, person(a.validator), a, doc, html, title, tool);
      count += 2;
    }
  }
  return count;
}

/** The documents name repository files by their path in the repository, not where it is installed. */
function relativePaths(doc: ModelDocument): void {
  const rel = (p: string) => path.relative(installRoot(), p).split(path.sep).join('/');
  for (const i of doc.inputs) i.path = rel(i.path);
  doc.model.source = rel(doc.model.source);
}

async function attach(
  evidence: EvidenceService,
  blobs: BlobStore,
  caller: Caller,
  a: DemoArtifact,
  doc: ModelDocument,
  html: string,
  title: string,
  tool: string,
): Promise<Evidence[]> {
  // The same provenance lines `assay explain|stress --push` records (cli/model-evidence-push.ts).
  const inputs = [
    ...doc.inputs.map((i) => `${i.role}:${i.path} sha256:${i.sha256} rows:${i.rows}`),
    `model:${doc.model.kind}:${doc.model.source} sha256:${doc.model.artifact_sha256} evaluations:${doc.model.evaluations}`,
  ];
  const meta = (t: string) => ({
    type: 'test_results' as const,
    title: t,
    description: `${tool} run of ${doc.created_at}`,
    producedBy: { tool, version: doc.engine.version },
    inputs,
  });
  const files: [string, string, string, string][] = [
    [`${title} (${doc.schema})`, 'evidence.json', 'application/json', `${JSON.stringify(doc, null, 2)}\n`],
    [`${title} report`, 'report.html', 'text/html', html],
  ];
  const out: Evidence[] = [];
  for (const [t, filename, mediaType, text] of files) {
    const stored = await blobs.put(Readable.from([Buffer.from(text)]), 64 * 1024 * 1024);
    out.push(await evidence.create(caller, a.key, a.version, meta(t), { ...stored, mediaType, filename }));
  }
  return out;
}
