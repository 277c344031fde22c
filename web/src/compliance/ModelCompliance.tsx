import { useQuery } from '@tanstack/react-query';
import { complianceKeys } from '../app/query-keys.ts';
import { useLocation, useQueryUpdater } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { QueryView } from '../components/DataState.tsx';
import { Time } from '../components/Time.tsx';
import { Gaps, Proofs, StateBadge } from './compliance-view.tsx';

/**
 * The model's compliance tab: for the latest version, each catalog's requirements with their
 * computed status, what meets them (with links to the evidence) and what would close each gap.
 */
export function ModelCompliance({ modelKey }: { modelKey: string }) {
  const { client } = useSession();
  const { query } = useLocation();
  const update = useQueryUpdater();
  const catalog = query.get('catalog') ?? 'eu-ai-act';
  const openOnly = query.get('open') === 'true';
  const catalogs = useQuery({
    queryKey: complianceKeys.catalogs(),
    queryFn: () => client.compliance.catalogs(),
  });
  const status = useQuery({
    queryKey: complianceKeys.model(modelKey, catalog),
    queryFn: () => client.compliance.status(modelKey, { catalog }),
  });
  return (
    <section aria-labelledby="compliance-h">
      <h2 id="compliance-h">Compliance</h2>
      <p className="muted">
        Computed from what Assay records for the latest version (evidence, model card, datasheets, reviews,
        decisions) under the policy's compliance mapping; nobody types a status.
      </p>
      <div className="toolbar">
        <label className="field">
          Catalog
          <select value={catalog} onChange={(e) => update({ catalog: e.target.value })}>
            {(catalogs.data ?? [{ id: catalog, title: catalog }]).map((c) => (
              <option key={c.id} value={c.id}>
                {c.title.length > 70 ? `${c.title.slice(0, 70)}…` : c.title}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={openOnly}
            onChange={(e) => update({ open: e.target.checked ? 'true' : null })}
          />
          Gaps only
        </label>
      </div>
      <QueryView query={status} what="Computing the compliance status">
        {(s) => {
          const c = s.catalogs[0];
          if (!c) return null;
          const rows = c.requirements.filter(
            (r) => !openOnly || r.state === 'not_met' || r.state === 'partly_met',
          );
          return (
            <>
              <p className="small" data-testid="compliance-counts">
                Version <strong>{s.versionLabel}</strong> · policy v{s.policyVersion} · computed{' '}
                <Time value={s.computedAt} /> · <strong>{c.counts.met ?? 0}</strong> met,{' '}
                <strong>{c.counts.partly_met ?? 0}</strong> partly met,{' '}
                <strong>{c.counts.not_met ?? 0}</strong> not met,{' '}
                <strong>{c.counts.not_applicable ?? 0}</strong> not applicable
              </p>
              <table className="data" aria-label={`Requirements of ${c.catalog}`}>
                <thead>
                  <tr>
                    {['Requirement', 'Status', 'Met by', 'Gaps (what would close them)'].map((h) => (
                      <th scope="col" key={h}>
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.requirement} data-requirement={r.requirement}>
                      <td>
                        <strong>{r.reference}</strong>
                        <div className="small">{r.title}</div>
                        {r.appliesFrom ? (
                          <div className="muted small">applies from {r.appliesFrom}</div>
                        ) : null}
                      </td>
                      <td>
                        <StateBadge state={r.state} />
                        {r.notApplicable ? <div className="muted small">{r.notApplicable.reason}</div> : null}
                      </td>
                      <td>
                        <Proofs
                          satisfiers={r.satisfiers}
                          modelKey={s.modelKey}
                          versionLabel={s.versionLabel}
                        />
                      </td>
                      <td>
                        <Gaps gaps={r.gaps} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          );
        }}
      </QueryView>
    </section>
  );
}
