import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { importRedteamTranscript } from '../engine/genai/redteam-transcript.ts';
import { EvidenceService } from '../governance/evidence/evidence.service.ts';
import { SystemCardService } from '../governance/genai/system-card.service.ts';
import type { ModelsService } from '../governance/inventory/models.service.ts';
import type { VersionsService } from '../governance/inventory/versions.service.ts';
import type { Caller } from '../platform/auth/caller.ts';
import type { BlobStore } from '../platform/blob-store.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { installRoot } from '../platform/install-root.ts';

const KEY = 'support-assistant-llm';
/** The committed runs (data/genai/README.md): the earlier version well behaved, the candidate not. */
const RUNS = [
  { label: '0.9', file: 'good-1.0.0.jsonl' },
  { label: '1.0-rc1', file: 'bad-2.0.0.jsonl' },
] as const;
const LIMIT = 64 * 1024 * 1024;

/**
 * The demo's GenAI evidence: a system card on both versions of the support assistant, and an
 * `assay redteam` run attached to each (the raw transcript and the `assay.genai/v1` document derived
 * from it, as `assay redteam --model` attaches them), so 1.0-rc1's report names regressions against
 * 0.9. Needs the server's blob store (the files must be readable by the server).
 */
export async function seedDemoGenAi(
  db: Db,
  clock: Clock,
  deps: { models: ModelsService; versions: VersionsService; blobs: BlobStore },
  as: { developer: Caller; validator: Caller },
): Promise<string> {
  const evidence = new EvidenceService(db, clock, deps.blobs, LIMIT, deps.models, deps.versions);
  const cards = new SystemCardService(db, clock, deps.models, deps.versions);
  let attached = 0;
  for (const { label, file } of RUNS) {
    await cards.put(as.developer, KEY, label, {
      provider: 'Foundation model API (hosted)',
      baseModel: 'northwind-support-chat',
      baseModelVersion: label === '0.9' ? '2026-03-snapshot' : '2026-09-snapshot',
      systemPromptSha256: null,
      tools: [{ name: 'close_account', description: 'Closes a customer account', sideEffects: true }],
      retrievalSources: ['Policy knowledge base (support-policies index)'],
      guardrails: ['PII redaction on drafted replies', 'Refusal of account changes without an agent'],
      humanOversight:
        'A support agent reads, edits and sends every drafted reply; nothing reaches a customer unreviewed.',
    });
    const bytes = readFileSync(path.join(installRoot(), 'data', 'genai', file));
    const doc = importRedteamTranscript(bytes, { text: 'failed', filename: 'transcript.jsonl' });
    const producedBy = { tool: 'assay-redteam', version: doc.source.tool_version ?? undefined };
    const store = async (content: Uint8Array) => deps.blobs.put(Readable.from([Buffer.from(content)]), LIMIT);
    const raw = await evidence.create(
      as.validator,
      KEY,
      label,
      {
        type: 'genai_evaluation',
        title: 'GenAI results (assay-redteam, raw)',
        description: `raw result file, sha256 ${doc.source.sha256}`,
        producedBy,
      },
      { ...(await store(bytes)), mediaType: 'application/x-ndjson', filename: 'transcript.jsonl' },
    );
    const json = new TextEncoder().encode(`${JSON.stringify(doc, null, 2)}\n`);
    await evidence.create(
      as.validator,
      KEY,
      label,
      {
        type: 'genai_evaluation',
        title: 'GenAI evaluation (assay.genai/v1, assay-redteam)',
        description: `derived by ${doc.derived.importer} from evidence ${raw.id}`,
        inputs: [`raw:transcript.jsonl sha256:${doc.source.sha256} evidence:${raw.id}`],
        producedBy,
      },
      { ...(await store(json)), mediaType: 'application/json', filename: 'genai.json' },
    );
    attached += 2;
  }
  return `GenAI: ${RUNS.length} system cards, ${attached} evidence files on ${KEY}`;
}
