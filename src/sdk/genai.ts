import type { z } from 'zod';
import type { Evidence } from '../contracts/evidence.ts';
import {
  GENAI_FORMAT,
  type GenAiDocument,
  type GenAiVersionReport,
  genaiDocumentSchema,
  genaiVersionReportSchema,
} from '../contracts/genai.ts';
import {
  type GenAiSystemCard,
  type genaiSystemCardInputSchema,
  genaiSystemCardSchema,
} from '../contracts/genai-system-card.ts';
import { seg, type Transport } from './client.ts';
import { evidenceApi } from './evidence.ts';

/** A GenAI evaluation document attached to a version, with the evidence that holds it. */
export interface GenAiEvidence {
  evidence: Evidence;
  document: GenAiDocument;
}

/** GenAI evaluation evidence (docs/genai.md): the `assay.genai/v1` documents of a version. */
export function genaiApi(t: Transport) {
  const evidence = evidenceApi(t);
  return {
    /**
     * The version's current `genai_evaluation` evidence that holds an `assay.genai/v1` document
     * (the raw tool files beside them are skipped), newest first, each validated by its schema.
     */
    documents: async (key: string, label: string): Promise<GenAiEvidence[]> => {
      const items = await evidence.list(key, label, { type: 'genai_evaluation' });
      const out: GenAiEvidence[] = [];
      for (const e of items) {
        if (!e.file || e.file.mediaType !== 'application/json' || e.file.filename !== 'genai.json') continue;
        const json = JSON.parse(await evidence.content(e.id)) as { format?: unknown };
        if (json.format === GENAI_FORMAT)
          out.push({ evidence: e, document: genaiDocumentSchema.parse(json) });
      }
      return out;
    },
    /**
     * The version's runs with Assay's rates per category, and per tool the comparison with the
     * previous version's newest run (or `against`'s), regressions named.
     */
    report: (key: string, label: string, against?: string): Promise<GenAiVersionReport> =>
      t.call('GET', `/api/v1/models/${seg(key)}/versions/${seg(label)}/genai`, {
        query: against === undefined ? {} : { against },
        schema: genaiVersionReportSchema,
      }),
    /** The version's GenAI system card (404 when none is set). */
    systemCard: (key: string, label: string): Promise<GenAiSystemCard> =>
      t.call('GET', `/api/v1/models/${seg(key)}/versions/${seg(label)}/genai/system-card`, {
        schema: genaiSystemCardSchema,
      }),
    /** Sets or replaces the version's GenAI system card (audited). */
    setSystemCard: (
      key: string,
      label: string,
      card: z.input<typeof genaiSystemCardInputSchema>,
    ): Promise<GenAiSystemCard> =>
      t.call('PUT', `/api/v1/models/${seg(key)}/versions/${seg(label)}/genai/system-card`, {
        json: card,
        schema: genaiSystemCardSchema,
      }),
  };
}
