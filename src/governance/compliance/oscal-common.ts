import { createHash } from 'node:crypto';

/**
 * Shared pieces of Assay's OSCAL 1.1.3 exports (pure): name-based UUIDs (RFC 4122 version 5, so
 * the same catalog, mapping or status gives the same identifiers on every export), metadata, and
 * Assay's property namespace.
 */

export const OSCAL_VERSION = '1.1.3';
/** Namespace of Assay's own `props` (OSCAL requires a URI for properties outside its own vocabulary). */
export const ASSAY_NS = 'https://assay.dev/ns/oscal';
/** The UUID namespace Assay's name-based OSCAL UUIDs hash into (itself a v5 UUID of ASSAY_NS in the URL namespace). */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replaceAll('-', ''), 'hex');
}

/** An RFC 4122 version 5 UUID of `name` in `namespace`. */
export function uuidV5(name: string, namespace: string): string {
  const h = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const ASSAY_UUID_NS = uuidV5(ASSAY_NS, URL_NAMESPACE);

/** A stable UUID for one named thing of an export (e.g. `catalog:eu-ai-act`, `finding:…`). */
export function oscalUuid(...parts: string[]): string {
  return uuidV5(parts.join('\u0000'), ASSAY_UUID_NS);
}

/** OSCAL `string`: non-empty, no leading or trailing whitespace. */
export function oscalString(s: string): string {
  const t = s.trim().replace(/\s+/g, ' ');
  return t.length > 0 ? t : '(none)';
}

/** A token (NCName) from free text: letters, digits, `.`, `-`, `_`, a letter or `_` first. */
export function oscalToken(s: string): string {
  const t = s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return /^[\p{L}_]/u.test(t) ? t : `_${t}`;
}

export interface OscalProp {
  name: string;
  value: string;
  ns?: string;
  class?: string;
  remarks?: string;
}

/** An Assay property (in Assay's namespace). */
export function assayProp(name: string, value: string): OscalProp {
  return { name, ns: ASSAY_NS, value: oscalString(value) };
}

/** A date (YYYY-MM-DD) or timestamp as an OSCAL date-time with time zone. */
export function oscalDateTime(d: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(d)) return `${d}T00:00:00Z`;
  return new Date(d).toISOString();
}

export function metadata(o: {
  title: string;
  lastModified: string;
  version: string;
  published?: string;
  props?: OscalProp[];
  remarks?: string;
}): Record<string, unknown> {
  return {
    title: oscalString(o.title),
    ...(o.published ? { published: oscalDateTime(o.published) } : {}),
    'last-modified': oscalDateTime(o.lastModified),
    version: oscalString(o.version),
    'oscal-version': OSCAL_VERSION,
    ...(o.props?.length ? { props: o.props } : {}),
    ...(o.remarks ? { remarks: o.remarks } : {}),
  };
}

/** A back-matter resource pointing at one or more URLs (relative API paths allowed). */
export function resource(
  uuid: string,
  title: string,
  o: { description?: string; hrefs?: string[]; props?: OscalProp[]; remarks?: string } = {},
): Record<string, unknown> {
  return {
    uuid,
    title: oscalString(title),
    ...(o.description ? { description: o.description } : {}),
    ...(o.props?.length ? { props: o.props } : {}),
    ...(o.hrefs?.length ? { rlinks: o.hrefs.map((href) => ({ href })) } : {}),
    ...(o.remarks ? { remarks: o.remarks } : {}),
  };
}
