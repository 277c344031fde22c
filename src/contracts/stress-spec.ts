// The spec file of `assay stress` (declared properties and named scenarios), read by the engine.
import { z } from 'zod';

const key = z.string().regex(/^[A-Za-z0-9_+-]+$/, 'letters, digits, _ + - only (used in metric paths)');

export const stressPropertySchema = z.union([
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

export const stressShiftSchema = z.union([
  z.strictObject({ add: z.number() }),
  z.strictObject({ multiply: z.number() }),
  z.strictObject({ set: z.union([z.number(), z.string()]) }),
]);

/** The spec file of `assay stress`: declared properties and named scenarios (YAML or JSON). */
export const stressSpecSchema = z.strictObject({
  properties: z.array(stressPropertySchema).default([]),
  scenarios: z
    .array(
      z.strictObject({
        name: key,
        description: z.string().optional(),
        shift: z.record(z.string(), stressShiftSchema),
      }),
    )
    .default([]),
});
export type StressSpec = z.infer<typeof stressSpecSchema>;
export type PropertySpec = z.infer<typeof stressPropertySchema>;
export type Shift = z.infer<typeof stressShiftSchema>;
