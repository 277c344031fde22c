import fs from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';

/**
 * Validation of Assay's OSCAL exports against NIST's published OSCAL 1.1.3 JSON schemas (vendored
 * unmodified in formats/schemas/oscal-1.1.3/, README and LICENSE there), plus the reference
 * integrity the schemas cannot check: unique UUIDs, `#uuid` links resolving to back-matter
 * resources, observation and component references resolving, and control ids existing in the
 * catalogs they name.
 */

export type OscalModel = 'catalog' | 'component-definition' | 'assessment-results';

const DIR = new URL('./formats/schemas/oscal-1.1.3/', import.meta.url);
const FILES: Record<OscalModel, string> = {
  catalog: 'oscal_catalog_schema.json',
  'component-definition': 'oscal_component_schema.json',
  'assessment-results': 'oscal_assessment-results_schema.json',
};

const validators = new Map<OscalModel, ValidateFunction>();

function compile(model: OscalModel): ValidateFunction {
  const schema = JSON.parse(fs.readFileSync(new URL(FILES[model], DIR), 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: true });
  const addFormats = (ajvFormats as unknown as { default: (a: Ajv) => Ajv }).default;
  addFormats(ajv);
  return ajv.compile(schema);
}

/** The schema errors of an OSCAL document of `model` (`[]` when valid). */
export function oscalSchemaErrors(model: OscalModel, doc: unknown): string[] {
  let v = validators.get(model);
  if (!v) {
    v = compile(model);
    validators.set(model, v);
  }
  if (v(doc)) return [];
  return (v.errors ?? []).slice(0, 20).map((e) => {
    const p = e.params as { missingProperty?: string; additionalProperty?: string; pattern?: string };
    const which = p.missingProperty ?? p.additionalProperty;
    return `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${which ? ` (${which})` : ''}`;
  });
}

function walk(x: unknown, visit: (key: string, value: unknown, path: string) => void, path = ''): void {
  if (Array.isArray(x)) {
    for (const [i, v] of x.entries()) walk(v, visit, `${path}/${i}`);
  } else if (x && typeof x === 'object')
    for (const [k, v] of Object.entries(x)) {
      visit(k, v, `${path}/${k}`);
      walk(v, visit, `${path}/${k}`);
    }
}

/**
 * Reference-integrity problems of an OSCAL document (`[]` when none): duplicate UUIDs (of objects
 * that carry one), `#…` hrefs not naming a back-matter resource, related observations, origin
 * actors and component UUIDs that do not resolve, and control ids absent from `controlIds` (per
 * catalog href, e.g. the control implementations' `source`).
 */
export function oscalReferenceErrors(
  doc: Record<string, unknown>,
  controlIds: (catalogHref: string) => ReadonlySet<string> | undefined,
): string[] {
  const errors: string[] = [];
  const uuids = new Map<string, string>();
  const resources = new Set<string>();
  const observations = new Set<string>();
  const components = new Set<string>();
  const parties = new Set<string>();
  walk(doc, (k, v, path) => {
    if (k === 'uuid' && typeof v === 'string') {
      if (uuids.has(v)) errors.push(`${path}: uuid ${v} also at ${uuids.get(v)}`);
      uuids.set(v, path);
      if (/\/resources\/\d+\/uuid$/.test(path)) resources.add(v);
      if (/\/observations\/\d+\/uuid$/.test(path)) observations.add(v);
      if (/\/components\/\d+\/uuid$/.test(path)) components.add(v);
      if (/\/parties\/\d+\/uuid$/.test(path)) parties.add(v);
    }
  });
  let source: string | undefined;
  walk(doc, (k, v, path) => {
    if (k === 'href' && typeof v === 'string' && v.startsWith('#') && !resources.has(v.slice(1)))
      errors.push(`${path}: ${v} is not a back-matter resource`);
    if (k === 'observation-uuid' && typeof v === 'string' && !observations.has(v))
      errors.push(`${path}: observation ${v} is not in the document`);
    if (k === 'component-uuid' && typeof v === 'string' && !components.has(v))
      errors.push(`${path}: component ${v} is not in the document`);
    if (k === 'party-uuid' && typeof v === 'string' && !parties.has(v))
      errors.push(`${path}: party ${v} is not in the metadata`);
    if (k === 'source' && typeof v === 'string') source = v;
    if ((k === 'control-id' || k === 'target-id') && typeof v === 'string') {
      const catalogHref = findCatalogHref(doc, path) ?? source;
      const ids = catalogHref ? controlIds(catalogHref) : undefined;
      if (!ids) errors.push(`${path}: no known catalog for control ${v} (${catalogHref ?? 'no source'})`);
      else if (!ids.has(v)) errors.push(`${path}: ${v} is not a control of ${catalogHref}`);
    }
  });
  return errors;
}

/** The catalog a result (assessment results) or control implementation (component definition) names. */
function findCatalogHref(doc: Record<string, unknown>, path: string): string | undefined {
  const m =
    /^\/assessment-results\/results\/(\d+)\//.exec(path) ??
    /^\/component-definition\/components\/\d+\/control-implementations\/(\d+)\//.exec(path);
  if (!m) return undefined;
  if (path.startsWith('/assessment-results')) {
    const results = (
      doc['assessment-results'] as { results: { props?: { name: string; value: string }[] }[] }
    ).results;
    return results[Number(m[1])]?.props?.find((p) => p.name === 'catalog-href')?.value;
  }
  return undefined;
}
