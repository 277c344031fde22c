import type { PolicyDocument } from '../../contracts/policy.ts';
import { type Catalogs, shippedCatalogs } from './catalogs.ts';
import { assessable } from './compliance-rules.ts';

/**
 * The policy's compliance section checked against the catalogs (pure; a PolicyDocumentCheck the
 * composition root gives the policy service): every mapping names an assessable requirement of a
 * catalog, every Assay control it cites exists, and every catalog scope names a catalog. Each
 * problem is reported at its path, which the policy parser turns into a line and field.
 */
export function complianceMappingIssues(
  doc: PolicyDocument,
  catalogs: Catalogs = shippedCatalogs(),
): { path: (string | number)[]; message: string }[] {
  const section = doc.compliance;
  if (!section) return [];
  const out: { path: (string | number)[]; message: string }[] = [];
  const known = catalogs.catalogs.map((c) => c.id).join(', ');
  for (const [i, m] of section.mappings.entries()) {
    const at = ['compliance', 'mappings', i, 'requirement'];
    const [catalogId, id] = m.requirement.split(':') as [string, string];
    const found = catalogs.find(m.requirement);
    if (!catalogs.catalog(catalogId))
      out.push({
        path: at,
        message: `unknown catalog '${catalogId}' in '${m.requirement}' (catalogs: ${known})`,
      });
    else if (!found)
      out.push({
        path: at,
        message: `unknown requirement '${m.requirement}': '${id}' is not in the catalog '${catalogId}'`,
      });
    else if (!assessable(found.requirement))
      out.push({
        path: at,
        message: `'${m.requirement}' is a ${found.requirement.kind}, not an assessable requirement: map its ${found.requirement.kind === 'note' ? 'risks' : 'subcategories or controls'} instead`,
      });
    for (const [j, c] of (m.controls ?? []).entries())
      if (!catalogs.find(`assay-controls:${c}`))
        out.push({
          path: ['compliance', 'mappings', i, 'controls', j],
          message: `unknown Assay control '${c}' (see the assay-controls catalog)`,
        });
  }
  for (const [i, s] of section.catalogs.entries())
    if (!catalogs.catalog(s.id))
      out.push({
        path: ['compliance', 'catalogs', i, 'id'],
        message: `unknown catalog '${s.id}' (catalogs: ${known})`,
      });
  return out;
}
