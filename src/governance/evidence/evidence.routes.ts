import multipart from '@fastify/multipart';
import { z } from 'zod';
import {
  type EvidenceCreate,
  evidenceCreateSchema,
  evidenceListQuerySchema,
  evidenceSchema,
  evidenceSupersedeSchema,
} from '../../contracts/evidence.ts';
import { modelKeySchema } from '../../contracts/inventory.ts';
import { ValidationError } from '../../platform/errors.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { documentRequestBody, inputJsonSchema } from '../../platform/http/openapi-body.ts';
import { callerOf } from '../../platform/http/request-context.ts';
import type { EvidenceService, UploadedFile } from './evidence.service.ts';

const versionParams = z.strictObject({ key: modelKeySchema, label: z.string().min(1).max(63) });
const idParams = z.strictObject({ id: z.string().min(1).max(200) });
const tags = ['evidence'];

/** Validates evidence metadata (parsed JSON) and names the offending field. */
export function parseEvidenceMetadata(raw: unknown, where: string): EvidenceCreate {
  const parsed = evidenceCreateSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String) ?? [];
  if (issue?.code === 'unrecognized_keys') {
    const field = [where, ...path, issue.keys[0] ?? ''].join('.');
    throw new ValidationError(`unknown field '${field}'`, field);
  }
  const field = [where, ...path].join('.');
  throw new ValidationError(`${field}: ${issue?.message ?? 'invalid'}`, field);
}

/** The upload's two request bodies, for the OpenAPI document (the route validates them itself). */
const UPLOAD_BODY = {
  'multipart/form-data': {
    description:
      'A `metadata` part (the JSON metadata, without externalUrl; send it first) and one `file` part (at most ASSAY_UPLOAD_LIMIT bytes, else 413).',
    schema: {
      type: 'object',
      required: ['metadata', 'file'],
      properties: {
        metadata: {
          ...inputJsonSchema(evidenceCreateSchema.omit({ externalUrl: true })),
          description: 'JSON text (Content-Type application/json or text/plain)',
        },
        file: {
          type: 'string',
          format: 'binary',
          contentMediaType: 'application/octet-stream',
          description: 'The evidence file; stored content-addressed by SHA-256',
        },
      },
      additionalProperties: false,
    },
  },
  'application/json': {
    description: 'Metadata of evidence held elsewhere: externalUrl (http or https) is required here.',
    schema: evidenceCreateSchema.required({ externalUrl: true }),
  },
};

/** A filename safe to put in a Content-Disposition header. */
function safeFilename(name: string | null, id: string): string {
  const cleaned = (name ?? '').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 200);
  return cleaned || `evidence-${id}`;
}

/**
 * Evidence routes. Upload: POST /api/v1/models/{key}/versions/{label}/evidence as
 * multipart/form-data with a `metadata` part (JSON, send it first) and a `file` part, or as JSON
 * metadata with `externalUrl`.
 */
export async function registerEvidenceRoutes(
  app: ApiApp,
  services: { evidence: EvidenceService },
  uploadLimit: number,
): Promise<void> {
  const { evidence } = services;
  await app.register(multipart, {
    limits: { fileSize: uploadLimit, files: 1, fields: 4, fieldSize: 256 * 1024, parts: 6 },
  });

  app.route({
    method: 'POST',
    url: '/api/v1/models/:key/versions/:label/evidence',
    schema: {
      tags,
      summary:
        'Attach evidence to a version: multipart (metadata JSON part, then file part) or JSON with externalUrl',
      params: versionParams,
      response: { 201: evidenceSchema },
    },
    // The handler parses the body itself (a stream for multipart); the document still says what to send.
    config: { swaggerTransform: documentRequestBody(UPLOAD_BODY) },
    handler: async (req, reply) => {
      const caller = callerOf(req);
      const { key, label } = req.params;
      let meta: EvidenceCreate | undefined;
      let file: UploadedFile | undefined;
      if (req.isMultipart()) {
        await evidence.checkCanAttach(caller, key, label);
        for await (const part of req.parts()) {
          if (part.type === 'field') {
            if (part.fieldname !== 'metadata')
              throw new ValidationError(`unknown form field '${part.fieldname}'`, part.fieldname);
            // @fastify/multipart already parses a part sent as application/json; plain text parts are parsed here.
            let json: unknown = part.value;
            if (typeof part.value === 'string') {
              try {
                json = JSON.parse(part.value);
              } catch {
                throw new ValidationError('the metadata part must be JSON', 'metadata');
              }
            }
            meta = parseEvidenceMetadata(json, 'metadata');
          } else {
            if (part.fieldname !== 'file')
              throw new ValidationError(`unknown file field '${part.fieldname}'`, part.fieldname);
            const stored = await evidence.storeUpload(part.file, () => part.file.truncated);
            file = { ...stored, mediaType: part.mimetype || null, filename: part.filename || null };
          }
        }
        if (!meta) throw new ValidationError('the multipart upload needs a metadata part', 'metadata');
        if (!file) throw new ValidationError('the multipart upload needs a file part', 'file');
      } else {
        meta = parseEvidenceMetadata(req.body, 'body');
      }
      reply.status(201);
      return evidence.create(caller, key, label, meta, file);
    },
  });

  app.route({
    method: 'GET',
    url: '/api/v1/models/:key/versions/:label/evidence',
    schema: {
      tags,
      summary: 'Evidence of a version, newest first',
      params: versionParams,
      querystring: evidenceListQuerySchema,
      response: { 200: z.object({ items: z.array(evidenceSchema) }) },
    },
    handler: async (req) => ({
      items: await evidence.listForVersion(callerOf(req), req.params.key, req.params.label, {
        type: req.query.type,
        includeSuperseded: req.query.includeSuperseded === 'true',
      }),
    }),
  });

  app.route({
    method: 'GET',
    url: '/api/v1/evidence/:id',
    schema: { tags, summary: 'One piece of evidence', params: idParams, response: { 200: evidenceSchema } },
    handler: (req) => evidence.get(callerOf(req), req.params.id),
  });

  app.route({
    method: 'GET',
    url: '/api/v1/evidence/:id/content',
    schema: { tags, summary: 'The stored file of evidence (streamed, as an attachment)', params: idParams },
    handler: async (req, reply) => {
      const { stream, evidence: e } = await evidence.content(callerOf(req), req.params.id);
      // Uploaded HTML must never run in the console's origin: attachment + sandbox + nosniff.
      reply
        .type(e.file?.mediaType ?? 'application/octet-stream')
        .header('content-length', String(e.file?.size ?? 0))
        .header(
          'content-disposition',
          `attachment; filename="${safeFilename(e.file?.filename ?? null, e.id)}"`,
        )
        .header('content-security-policy', 'sandbox')
        .header('x-content-type-options', 'nosniff')
        .header('etag', `"${e.file?.sha256 ?? ''}"`);
      return reply.send(stream);
    },
  });

  app.route({
    method: 'POST',
    url: '/api/v1/evidence/:id/supersede',
    schema: {
      tags,
      summary: 'Retire evidence without a replacement (it stays, marked superseded)',
      params: idParams,
      body: evidenceSupersedeSchema,
      response: { 200: evidenceSchema },
    },
    handler: (req) => evidence.supersede(callerOf(req), req.params.id, req.body.reason),
  });
}
