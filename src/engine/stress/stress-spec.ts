import { parse } from 'yaml';
import { type PropertySpec, type StressSpec, stressSpecSchema } from '../../contracts/stress-spec.ts';
import { InputError } from '../load/input-error.ts';

export type { PropertySpec, Shift, StressSpec } from '../../contracts/stress-spec.ts';

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
