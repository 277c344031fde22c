import { z } from 'zod';
import {
  type Evidence,
  type EvidenceCreate,
  type evidenceListQuerySchema,
  evidenceSchema,
} from '../contracts/evidence.ts';
import { seg, type Transport } from './client.ts';

/** A file to attach as evidence. */
export interface EvidenceFile {
  filename: string;
  mediaType: string;
  content: Uint8Array<ArrayBuffer>;
}

const evidenceList = z.object({ items: z.array(evidenceSchema) });

/** Evidence attached to model versions. */
export function evidenceApi(t: Transport) {
  const base = (key: string, label: string) => `/api/v1/models/${seg(key)}/versions/${seg(label)}/evidence`;
  return {
    /** Uploads a file as evidence (multipart: the metadata part first, then the file). */
    upload: (key: string, label: string, metadata: EvidenceCreate, file: EvidenceFile): Promise<Evidence> => {
      const form = new FormData();
      form.append('metadata', JSON.stringify(metadata));
      form.append('file', new Blob([file.content], { type: file.mediaType }), file.filename);
      return t.call('POST', base(key, label), { form, schema: evidenceSchema });
    },
    /** Links evidence by URL (`metadata.externalUrl`). */
    link: (key: string, label: string, metadata: EvidenceCreate): Promise<Evidence> =>
      t.call('POST', base(key, label), { json: metadata, schema: evidenceSchema }),
    /** One piece of evidence (metadata). */
    get: (id: string): Promise<Evidence> =>
      t.call('GET', `/api/v1/evidence/${seg(id)}`, { schema: evidenceSchema }),
    /** The stored file of a piece of evidence, as text. */
    content: (id: string): Promise<string> => t.text('GET', `/api/v1/evidence/${seg(id)}/content`),
    /** Current evidence of a version, newest first (of one type; superseded evidence too on request). */
    list: async (
      key: string,
      label: string,
      q: Partial<z.infer<typeof evidenceListQuerySchema>> = {},
    ): Promise<Evidence[]> =>
      (await t.call('GET', base(key, label), { query: q, schema: evidenceList })).items,
    /** Retires evidence without a replacement (it stays, marked superseded). */
    supersede: (id: string, reason: string): Promise<Evidence> =>
      t.call('POST', `/api/v1/evidence/${seg(id)}/supersede`, { json: { reason }, schema: evidenceSchema }),
  };
}
