import type { Caller } from '../../platform/auth/caller.ts';
import type { PolicyService } from '../policy/policy.service.ts';
import type { ComplianceService } from './compliance.service.ts';
import { catalogToOscal, oscalCatalogHref } from './oscal-catalog.ts';
import { assessmentResults, componentDefinition } from './oscal-results.ts';
import { type OscalModel, oscalReferenceErrors, oscalSchemaErrors } from './oscal-schema.ts';

/**
 * OSCAL 1.1.3 out: the catalogs, the policy's mapping as a component definition and a model
 * version's computed status as assessment results. Every document is checked against NIST's
 * schema and for reference integrity before it leaves; a failure is a bug, reported as such.
 */
export class OscalService {
  constructor(private readonly deps: { compliance: ComplianceService; policy: PolicyService }) {}

  private checked<T extends Record<string, unknown>>(model: OscalModel, doc: T): T {
    const ids = new Map(
      this.deps.compliance.catalogs.catalogs.map((c) => [
        oscalCatalogHref(c.id),
        new Set(c.requirements.map((r) => r.id)),
      ]),
    );
    const errors = [...oscalSchemaErrors(model, doc), ...oscalReferenceErrors(doc, (h) => ids.get(h))];
    if (errors.length) throw new Error(`the OSCAL ${model} export is invalid: ${errors.join('; ')}`);
    return doc;
  }

  catalog(id: string): { catalog: Record<string, unknown> } {
    const c = this.deps.compliance.catalog(id);
    return this.checked('catalog', catalogToOscal(c, this.deps.compliance.catalogs.crosswalks));
  }

  async componentDefinition(): Promise<{ 'component-definition': Record<string, unknown> }> {
    const policy = await this.deps.policy.active();
    return this.checked(
      'component-definition',
      componentDefinition({
        catalogs: this.deps.compliance.catalogs.catalogs,
        mappings: policy.document.compliance?.mappings ?? [],
        policyVersion: policy.version,
        policyActivatedAt: policy.decidedAt ?? policy.createdAt,
      }),
    );
  }

  async assessmentResults(
    caller: Caller,
    key: string,
    q: { version?: string; catalog?: string },
  ): Promise<{ 'assessment-results': Record<string, unknown> }> {
    const status = await this.deps.compliance.status(caller, key, q);
    return this.checked(
      'assessment-results',
      assessmentResults(status, this.deps.compliance.catalogs.catalogs),
    );
  }
}
