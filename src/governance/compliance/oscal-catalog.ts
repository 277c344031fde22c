import type { CatalogFile, CatalogRequirement, CrosswalkFile } from '../../contracts/compliance.ts';
import { assessable } from './compliance-rules.ts';
import {
  assayProp,
  metadata,
  type OscalProp,
  oscalString,
  oscalToken,
  oscalUuid,
  resource,
} from './oscal-common.ts';

/**
 * One of Assay's requirement catalogs as an OSCAL 1.1.3 catalog (pure). Functions, categories and
 * control groups become OSCAL groups; every assessable requirement (obligation, subcategory, Annex
 * IV item, control, principle, GenAI risk) becomes a control whose id is the requirement id, with
 * the legal reference as its `label`, the title as its statement, Assay's evidence guidance as its
 * guidance, roles, applicability and application dates as Assay properties, and crosswalk edges
 * as links to the other catalogs' controls. Source and licence go to the back matter.
 */

/** Where the OSCAL form of a catalog is served (the component definition and results point here). */
export function oscalCatalogHref(catalogId: string): string {
  return `/api/v1/compliance/catalogs/${catalogId}/oscal`;
}

type Node = Record<string, unknown>;

function props(r: CatalogRequirement): OscalProp[] {
  const out: OscalProp[] = [{ name: 'label', value: oscalString(r.reference) }];
  for (const role of r.roles ?? []) out.push(assayProp('role', role));
  const a = r.applicability;
  for (const c of a?.euAiActClasses ?? []) out.push(assayProp('applies-to-eu-ai-act-class', c));
  if (a?.transparency) out.push(assayProp('applies-to-transparency-provision', a.transparency));
  if (a?.fundamentalRightsAssessment)
    out.push(assayProp('applies-when', 'fundamental-rights-assessment-due'));
  for (const area of a?.annexIIIAreas ?? []) out.push(assayProp('applies-to-annex-iii-area', area));
  for (const d of r.appliesFrom ?? [])
    out.push({ ...assayProp('applies-from', d.date), class: oscalToken(d.route) });
  if (r.confidence) out.push(assayProp('source-confidence', r.confidence));
  return out;
}

function parts(r: CatalogRequirement): Node[] {
  const out: Node[] = [{ id: `${r.id}_smt`, name: 'statement', prose: r.title }];
  if (r.evidenceGuidance) out.push({ id: `${r.id}_gdn`, name: 'guidance', prose: r.evidenceGuidance });
  return out;
}

function links(catalog: CatalogFile, r: CatalogRequirement, crosswalks: readonly CrosswalkFile[]): Node[] {
  const self = `${catalog.id}:${r.id}`;
  const out: Node[] = [];
  for (const cw of crosswalks)
    for (const e of cw.edges) {
      const other = e.from === self ? e.to : e.to === self ? e.from : null;
      if (!other) continue;
      const rel =
        e.relationship === 'subset' ? (e.from === self ? 'subset-of' : 'superset-of') : e.relationship;
      const [otherCatalog, otherId] = other.split(':') as [string, string];
      out.push({
        href: `${oscalCatalogHref(otherCatalog)}#${otherId}`,
        rel,
        text: `${other} (${e.confidence} confidence; ${cw.id}: ${e.source})`,
      });
    }
  return out;
}

export function catalogToOscal(
  catalog: CatalogFile,
  crosswalks: readonly CrosswalkFile[] = [],
): { catalog: Record<string, unknown> } {
  const children = new Map<string, CatalogRequirement[]>();
  for (const r of catalog.requirements)
    if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);

  const control = (r: CatalogRequirement): Node => {
    const kids = children.get(r.id) ?? [];
    const structural = kids.find((k) => !assessable(k));
    if (structural)
      throw new Error(
        `catalog ${catalog.id}: '${structural.id}' (${structural.kind}) cannot sit under the assessable '${r.id}' in OSCAL`,
      );
    const l = links(catalog, r, crosswalks);
    return {
      id: r.id,
      class: r.kind,
      title: r.title,
      props: props(r),
      ...(l.length ? { links: l } : {}),
      parts: parts(r),
      ...(kids.length ? { controls: kids.map(control) } : {}),
    };
  };
  const group = (r: CatalogRequirement): Node => {
    const kids = children.get(r.id) ?? [];
    const groups = kids.filter((k) => !assessable(k)).map(group);
    const controls = kids.filter(assessable).map(control);
    return {
      id: r.id,
      class: r.kind,
      title: r.title,
      props: props(r),
      parts: [{ id: `${r.id}_ovw`, name: 'overview', prose: r.title }],
      ...(groups.length ? { groups } : {}),
      ...(controls.length ? { controls } : {}),
    };
  };

  // Top level: structural requirements become groups; assessable ones go into the group their
  // `group` field names (e.g. "Art. 14"), or to the catalog's own controls.
  const groups: Node[] = [];
  const controls: Node[] = [];
  const named = new Map<string, Node[]>();
  for (const r of catalog.requirements.filter((x) => !x.parent)) {
    if (!assessable(r)) groups.push(group(r));
    else if (r.group) {
      if (!named.has(r.group)) named.set(r.group, []);
      named.get(r.group)!.push(control(r));
    } else controls.push(control(r));
  }
  for (const [title, cs] of named)
    groups.push({ id: `grp-${oscalToken(title)}`, class: 'article', title, controls: cs });

  const sourceUuid = oscalUuid('catalog-source', catalog.id, catalog.version);
  const licenceUuid = oscalUuid('catalog-licence', catalog.id, catalog.version);
  return {
    catalog: {
      uuid: oscalUuid('catalog', catalog.id, catalog.version),
      metadata: metadata({
        title: catalog.title,
        published: catalog.date,
        lastModified: catalog.date,
        version: catalog.version,
        props: [assayProp('catalog-id', catalog.id), assayProp('licence', catalog.licence.name)],
        remarks: `${catalog.coverage}\n\nLicence: ${catalog.licence.name}. ${catalog.licence.notice}`,
      }),
      ...(groups.length ? { groups } : {}),
      ...(controls.length ? { controls } : {}),
      'back-matter': {
        resources: [
          resource(sourceUuid, catalog.source.title, {
            hrefs: [catalog.source.url],
            props: [{ name: 'type', value: 'citation' }],
            ...(catalog.source.secondary?.length
              ? { remarks: `Secondary sources: ${catalog.source.secondary.join('; ')}` }
              : {}),
          }),
          resource(licenceUuid, `Licence: ${catalog.licence.name}`, {
            description: catalog.licence.notice,
            hrefs: catalog.licence.url ? [catalog.licence.url] : [],
            props: [{ name: 'type', value: 'policy' }],
          }),
        ],
      },
    },
  };
}
