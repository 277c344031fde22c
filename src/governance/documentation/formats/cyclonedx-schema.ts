import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';

/**
 * Validation against the official CycloneDX 1.6 JSON schema as shipped in the
 * `@cyclonedx/cyclonedx-library` package (with the SPDX, JSF and cryptography schemas it refers
 * to). The library's own `Validation.JsonValidator` needs the optional `ajv-formats-draft2019`
 * package; this builds the same Ajv set-up (draft-07, no defaults, no remote schemas) without it.
 */

const REFERENCED = {
  'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json': 'spdx.SNAPSHOT.schema.json',
  'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json': 'jsf-0.82.SNAPSHOT.schema.json',
  'http://cyclonedx.org/schema/cryptography-defs.SNAPSHOT.schema.json':
    'cryptography-defs.SNAPSHOT.schema.json',
};

/** The folder of the schemas inside the installed library. */
export function cycloneDxSchemaDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(
    path.dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')),
    'res',
    'schema',
  );
}

let validator: ValidateFunction | null = null;

function compile(): ValidateFunction {
  const dir = cycloneDxSchemaDir();
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const schemas = Object.fromEntries(Object.entries(REFERENCED).map(([id, file]) => [id, read(file)]));
  const ajv = new Ajv({
    useDefaults: false,
    strict: false,
    strictSchema: false,
    addUsedSchema: false,
    loadSchema: (uri: string) => {
      throw new Error(`remote schemas are disabled: ${uri}`);
    },
    schemas,
  });
  const addFormats = (ajvFormats as unknown as { default: (a: Ajv) => Ajv }).default;
  addFormats(ajv);
  // As the library: internationalised e-mail (a local part and a domain, any script) and
  // iri-reference (no working validator exists; the library accepts any string too).
  ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/u);
  ajv.addFormat('iri-reference', true);
  return ajv.compile(read('bom-1.6.SNAPSHOT.schema.json'));
}

/** The schema errors of a CycloneDX 1.6 JSON document (`[]` when it is valid). */
export function cycloneDxErrors(bom: unknown): string[] {
  validator ??= compile();
  if (validator(bom)) return [];
  return (validator.errors ?? []).map((e) => {
    const p = e.params as { missingProperty?: string; additionalProperty?: string };
    const which = p.missingProperty ?? p.additionalProperty;
    return `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${which ? ` (${which})` : ''}`;
  });
}
