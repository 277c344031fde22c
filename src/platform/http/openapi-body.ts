import type { SwaggerTransform } from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { type ZodType, z } from 'zod';

/** One media type of a documented request body. */
export interface DocumentedMedia {
  /** A zod schema (converted as the request's input) or a ready JSON Schema. */
  schema: ZodType | Record<string, unknown>;
  description?: string;
}

/** A JSON Schema for a zod schema, as a client sends it (input side). */
export function inputJsonSchema(schema: ZodType): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

/**
 * A per-route `config.swaggerTransform` that documents a request body the route parses itself
 * (e.g. multipart, or several content types with different shapes) without giving Fastify a body
 * schema to validate against. Everything else is converted by the shared zod transform.
 */
export function documentRequestBody(content: Record<string, DocumentedMedia>): SwaggerTransform {
  return (input) => {
    const out = (jsonSchemaTransform as SwaggerTransform)(input) as {
      schema: Record<string, unknown>;
      url: string;
    };
    const body = Object.fromEntries(
      Object.entries(content).map(([type, media]) => {
        const json = media.schema instanceof z.ZodType ? inputJsonSchema(media.schema) : media.schema;
        return [type, { schema: media.description ? { ...json, description: media.description } : json }];
      }),
    );
    return { ...out, schema: { ...out.schema, body: { content: body } } };
  };
}
