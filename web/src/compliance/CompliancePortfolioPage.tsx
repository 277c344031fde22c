import { useQuery } from '@tanstack/react-query';
import type { PortfolioQuery } from '../../../src/contracts/compliance.ts';
import { complianceKeys } from '../app/query-keys.ts';
import { Link, useLocation, useQueryUpdater } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { Empty, QueryView } from '../components/DataState.tsx';
import { CoverageTable } from './ComplianceCoverage.tsx';
import { Gaps, StateBadge } from './compliance-view.tsx';

const EU_CLASSES = ['prohibited', 'high_risk', 'limited_risk', 'minimal_risk'] as const;

/**
 * The portfolio's compliance: every visible model's latest version against the filters (catalog,
 * requirement, tier, EU AI Act class, open gaps only), with coverage per catalog. "Which high-risk
 * systems do not yet meet Art. 14?" is catalog eu-ai-act, requirement euaia-14.1-3, class high_risk, open.
 */
export function CompliancePortfolioPage() {
  const { client } = useSession();
  const { query } = useLocation();
  const update = useQueryUpdater();
  const catalog = query.get('catalog') ?? 'eu-ai-act';
  const requirement = query.get('requirement') ?? '';
  const tier = query.get('tier') ?? '';
  const euClass = query.get('euAiActClass') ?? '';
  const open = query.get('open') !== 'false';
  const q: Partial<Record<keyof PortfolioQuery, string>> = { catalog };
  if (requirement) q.requirement = requirement;
  if (tier) q.tier = tier;
  if (euClass) q.euAiActClass = euClass;
  if (open) q.open = 'true';
  const catalogs = useQuery({
    queryKey: complianceKeys.catalogs(),
    queryFn: () => client.compliance.catalogs(),
  });
  const answer = useQuery({
    queryKey: complianceKeys.portfolio(JSON.stringify(q)),
    queryFn: () => client.compliance.portfolio(q),
  });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Compliance</h1>
          <p>
            Which requirements each model meets, by what evidence, and where the gaps are: computed from the
            records of every model's latest version.
          </p>
        </div>
      </div>
      <div className="toolbar">
        <label className="field">
          Catalog
          <select value={catalog} onChange={(e) => update({ catalog: e.target.value, requirement: null })}>
            {(catalogs.data ?? [{ id: catalog, title: catalog }]).map((c) => (
              <option key={c.id} value={c.id}>
                {c.id}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Requirement
          <input
            key={requirement}
            defaultValue={requirement}
            placeholder="e.g. euaia-14.1-3"
            onBlur={(e) => update({ requirement: e.target.value.trim() })}
            onKeyDown={(e) => {
              if (e.key === 'Enter') update({ requirement: e.currentTarget.value.trim() });
            }}
          />
        </label>
        <label className="field">
          Tier
          <select value={tier} onChange={(e) => update({ tier: e.target.value })}>
            <option value="">any</option>
            {[1, 2, 3, 4].map((t) => (
              <option key={t} value={String(t)}>
                Tier {t}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          EU AI Act class
          <select value={euClass} onChange={(e) => update({ euAiActClass: e.target.value })}>
            <option value="">any</option>
            {EU_CLASSES.map((c) => (
              <option key={c} value={c}>
                {c.replace('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={open}
            onChange={(e) => update({ open: e.target.checked ? null : 'false' })}
          />
          Gaps only (not met or partly met)
        </label>
      </div>
      <QueryView query={answer} what="Computing the portfolio's compliance">
        {(a) => (
          <>
            <h2>Coverage per catalog</h2>
            <CoverageTable coverage={a.coverage} />
            <h2 style={{ marginTop: 16 }}>Requirement statuses</h2>
            {a.rows.length === 0 ? (
              <Empty title="No requirement statuses match these filters." />
            ) : (
              <table className="data" aria-label="Requirement statuses">
                <thead>
                  <tr>
                    {['Model', 'Tier', 'EU AI Act class', 'Requirement', 'Status', 'Gaps'].map((h) => (
                      <th scope="col" key={h}>
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {a.rows.slice(0, 500).map((r) => (
                    <tr key={`${r.modelKey}:${r.catalog}:${r.requirement}`}>
                      <td>
                        <Link
                          to={`/models/${encodeURIComponent(r.modelKey)}?tab=compliance&catalog=${r.catalog}`}
                        >
                          {r.modelName}
                        </Link>
                        <div className="muted small">
                          {r.modelKey}@{r.versionLabel}
                        </div>
                      </td>
                      <td>{r.tier ?? '–'}</td>
                      <td>{r.euAiActClass?.replace('_', ' ') ?? 'not classified'}</td>
                      <td>
                        <code>{r.requirement}</code>
                        <div className="small">{r.title}</div>
                      </td>
                      <td>
                        <StateBadge state={r.state} />
                      </td>
                      <td>
                        <Gaps gaps={r.gaps} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {a.rows.length > 500 ? (
              <p className="muted small">Showing 500 of {a.rows.length} rows; narrow the filters.</p>
            ) : null}
          </>
        )}
      </QueryView>
    </>
  );
}
