import { z } from 'zod';
import {
  type Completeness,
  completenessSchema,
  type Datasheet,
  type DatasheetDraft,
  type DatasheetSave,
  type DocumentExportFormat,
  type DocumentRevision,
  datasheetDraftSchema,
  datasheetSchema,
  documentRevisionSchema,
  type ModelCard,
  type ModelCardDraft,
  type ModelCardSave,
  modelCardDraftSchema,
  modelCardSchema,
} from '../contracts/documentation.ts';
import {
  type CardImportRequest,
  type CardImportResult,
  type CardStandardExportFormat,
  cardImportResultSchema,
  type DatasheetStandardExportFormat,
} from '../contracts/documentation-formats.ts';
import type { Transport } from './client.ts';

/** Which revision: a number, or the latest published (default: the latest of any status). */
export interface RevisionOptions {
  revision?: number | undefined;
  published?: boolean | undefined;
}

const revisions = z.object({ items: z.array(documentRevisionSchema) });
const enc = encodeURIComponent;
const q = (o: RevisionOptions = {}) => ({
  revision: o.revision,
  published: o.published ? 'true' : undefined,
});

/** Model cards (per model version) and datasheets (per dataset). */
export function documentationApi(t: Transport) {
  const card = (key: string, label: string) => `/api/v1/models/${enc(key)}/versions/${enc(label)}/card`;
  const sheet = (dataset: string) => `/api/v1/datasets/${enc(dataset)}/datasheet`;
  const exportOf = async (path: string, format: DocumentExportFormat, o: RevisionOptions) =>
    t.bytes('GET', `${path}/export`, { query: { ...q(o), format } });
  return {
    card: {
      get: (key: string, label: string, o?: RevisionOptions): Promise<ModelCard> =>
        t.call('GET', card(key, label), { query: q(o), schema: modelCardSchema }),
      save: (key: string, label: string, body: ModelCardSave): Promise<ModelCard> =>
        t.call('PUT', card(key, label), { json: body, schema: modelCardSchema }),
      publish: (
        key: string,
        label: string,
        body: { revision?: number; note?: string } = {},
      ): Promise<ModelCard> =>
        t.call('POST', `${card(key, label)}/publish`, { json: body, schema: modelCardSchema }),
      draft: (key: string, label: string, save = false): Promise<ModelCardDraft> =>
        t.call('POST', `${card(key, label)}/draft`, { json: { save }, schema: modelCardDraftSchema }),
      completeness: (key: string, label: string, o?: RevisionOptions): Promise<Completeness> =>
        t.call('GET', `${card(key, label)}/completeness`, { query: q(o), schema: completenessSchema }),
      revisions: async (key: string, label: string): Promise<DocumentRevision[]> =>
        (await t.call('GET', `${card(key, label)}/revisions`, { schema: revisions })).items,
      /** The card as md, html, pdf or json bytes. */
      export: (key: string, label: string, format: DocumentExportFormat, o: RevisionOptions = {}) =>
        exportOf(card(key, label), format, o),
      /** The card as a Hugging Face README.md, a CycloneDX 1.6 ML-BOM or SPDX 3.0.1 (JSON) — bytes. */
      exportStandard: (
        key: string,
        label: string,
        format: CardStandardExportFormat,
        o: RevisionOptions = {},
      ) => t.bytes('GET', `${card(key, label)}/export/${format}`, { query: q(o) }),
      /** Converts a Hugging Face README.md or Model Card Toolkit JSON; saves it as a revision unless `save: false`. */
      import: (key: string, label: string, body: CardImportRequest): Promise<CardImportResult> =>
        t.call('POST', `${card(key, label)}/import`, { json: body, schema: cardImportResultSchema }),
    },
    datasheet: {
      get: (dataset: string, o?: RevisionOptions): Promise<Datasheet> =>
        t.call('GET', sheet(dataset), { query: q(o), schema: datasheetSchema }),
      save: (dataset: string, body: DatasheetSave): Promise<Datasheet> =>
        t.call('PUT', sheet(dataset), { json: body, schema: datasheetSchema }),
      publish: (dataset: string, body: { revision?: number; note?: string } = {}): Promise<Datasheet> =>
        t.call('POST', `${sheet(dataset)}/publish`, { json: body, schema: datasheetSchema }),
      draft: (dataset: string, save = false): Promise<DatasheetDraft> =>
        t.call('POST', `${sheet(dataset)}/draft`, { json: { save }, schema: datasheetDraftSchema }),
      completeness: (dataset: string, o?: RevisionOptions): Promise<Completeness> =>
        t.call('GET', `${sheet(dataset)}/completeness`, { query: q(o), schema: completenessSchema }),
      revisions: async (dataset: string): Promise<DocumentRevision[]> =>
        (await t.call('GET', `${sheet(dataset)}/revisions`, { schema: revisions })).items,
      export: (dataset: string, format: DocumentExportFormat, o: RevisionOptions = {}) =>
        exportOf(sheet(dataset), format, o),
      /** The datasheet as MLCommons Croissant 1.0 JSON-LD — bytes. */
      exportStandard: (dataset: string, format: DatasheetStandardExportFormat, o: RevisionOptions = {}) =>
        t.bytes('GET', `${sheet(dataset)}/export/${format}`, { query: q(o) }),
    },
  };
}
