import { parse } from 'yaml';
import { z } from 'zod';
import { InputError } from '../load/input-error.ts';

const key = z.string().regex(/^[A-Za-z0-9_+-]+$/, 'letters, digits, _ + - only (used in metric paths)');

const propertySchema = z.union([
  z.strictObject({
    name: key.optional(),
    monotonic: z.string(),
    direction: z.enum(['increasing', 'decreasing']),
    /** A decrease (increase) up to this much is not a violation. */
    tolerance: z.number().nonnegative().default(1e-6),
  }),
  z.strictObject({
    name: key.optional(),
    invariant: z.string(),
    tolerance: z.number().nonnegative().default(1e-6),
  }),
  z.strictObject({
    name: key.optional(),
    bounds: z.strictObject({ min: z.number().optional(), max: z.number().optional() }),
  }),
]);

const shiftSchema = z.union([
  z.strictObject({ add: z.number() }),
  z.strictObject({ multiply: z.number() }),
  z.strictObject({ set: z.union([z.number(), z.string()]) }),
]);

/** The spec file of `assay stress`: declared properties and named scenarios (YAML or JSON). */
export const stressSpecSchema = z.strictObject({
  properties: z.array(propertySchema).default([]),
  scenarios: z
    .array(
      z.strictObject({
        name: key,
        description: z.string().optional(),
        shift: z.record(z.string(), shiftSchema),
      }),
    )
    .default([]),
});
export type StressSpec = z.infer<typeof stressSpecSchema>;
export type PropertySpec = z.infer<typeof propertySchema>;
export type Shift = z.infer<typeof shiftSchema>;

/** Parses a spec; errors name the field. */
export function parseStressSpec(text: string, file: string): StressSpec {
  let value: unknown;
  try {
    value = parse(text);
  } catch (err) {
    throw new InputError(`${file}: not YAML (${(err as Error).message})`);
  }
  const result = stressSpecSchema.safeParse(value ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InputError(`${file}: ${issue?.path.join('.') || '(top)'}: ${issue?.message}`);
  }
  return result.data;
}

/** The property's name in the evidence (given, or derived from what it checks). */
export function propertyName(p: PropertySpec): string {
  if (p.name) return p.name;
  if ('monotonic' in p) return `monotonic_${p.monotonic}`.replace(/[^A-Za-z0-9_+-]/g, '_');
  if ('invariant' in p) return `invariant_${p.invariant}`.replace(/[^A-Za-z0-9_+-]/g, '_');
  return 'bounds';
}
