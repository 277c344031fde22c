import { useQuery } from '@tanstack/react-query';
import { modelKeys } from '../app/query-keys.ts';
import { Link, useLocation, useQueryUpdater } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { ModelCompliance } from '../compliance/ModelCompliance.tsx';
import { QueryView } from '../components/DataState.tsx';
import { Time } from '../components/Time.tsx';
import { StatusBadge, TierBadge } from '../inventory/inventory-columns.tsx';
import { AuditPackageButton } from '../model/AuditPackageButton.tsx';
import { ModelActions } from '../model/ModelActions.tsx';
import { ModelCardTab } from '../model/ModelCard.tsx';
import { ModelGovernance } from '../model/ModelGovernance.tsx';
import { ModelHistory } from '../model/ModelHistory.tsx';
import { ModelOverview } from '../model/ModelOverview.tsx';
import { ModelVersions } from '../model/ModelVersions.tsx';
import { MonitoringTab } from '../monitoring/MonitoringTab.tsx';

const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'versions', label: 'Versions & lineage' },
  { id: 'card', label: 'Model card' },
  { id: 'governance', label: 'Reviews & findings' },
  { id: 'compliance', label: 'Compliance' },
  { id: 'monitoring', label: 'Monitoring' },
  { id: 'history', label: 'History' },
] as const;

/** One model: overview, versions with lineage, and its history with an "as of" view. */
export function ModelPage({ modelKey }: { modelKey: string }) {
  const { client } = useSession();
  const { query } = useLocation();
  const update = useQueryUpdater();
  const tab = TABS.find((t) => t.id === query.get('tab'))?.id ?? 'overview';
  const asOf = query.get('asOf') ?? undefined;
  const model = useQuery({
    queryKey: modelKeys.detailAsOf(modelKey, asOf ?? null),
    queryFn: () => client.getModel(modelKey, asOf),
  });
  return (
    <>
      <div className="crumbs">
        <Link to="/inventory">Inventory</Link> / {modelKey}
      </div>
      <QueryView query={model} what="Loading the model">
        {(m) => (
          <>
            <div className="page-head">
              <div>
                <h1>{m.name}</h1>
                <div className="row">
                  <code>{m.key}</code>
                  <StatusBadge status={m.status} exception={m.exception} />
                  <TierBadge tier={m.tier} />
                  {m.genai ? <span className="badge info">GenAI</span> : null}
                  {m.vendor ? <span className="badge">vendor: {m.vendorName ?? 'third party'}</span> : null}
                  <span className="muted small">
                    updated <Time value={m.updatedAt ?? m.createdAt} />
                  </span>
                </div>
              </div>
              <div className="stack" style={{ alignItems: 'flex-end' }}>
                {asOf ? null : <ModelActions model={m} />}
                <AuditPackageButton modelKey={m.key} asOf={asOf ?? null} />
              </div>
            </div>
            {asOf ? (
              <div className="notice warn" role="status" style={{ marginBottom: 12 }}>
                Showing the model as it was at <Time value={asOf} />.{' '}
                <button type="button" className="link" onClick={() => update({ asOf: null })}>
                  Back to now
                </button>
              </div>
            ) : null}
            <div className="tabs" role="tablist" aria-label="Model sections">
              {TABS.map((t) => (
                <button
                  key={t.id}
                  type="button"
                  role="tab"
                  aria-selected={tab === t.id}
                  onClick={() => update({ tab: t.id === 'overview' ? null : t.id })}
                >
                  {t.label}
                </button>
              ))}
            </div>
            {tab === 'overview' ? <ModelOverview model={m} editable={!asOf} /> : null}
            {tab === 'versions' ? <ModelVersions modelKey={m.key} /> : null}
            {tab === 'card' ? <ModelCardTab modelKey={m.key} /> : null}
            {tab === 'governance' ? <ModelGovernance modelKey={m.key} /> : null}
            {tab === 'compliance' ? <ModelCompliance modelKey={m.key} /> : null}
            {tab === 'monitoring' ? <MonitoringTab modelKey={m.key} /> : null}
            {tab === 'history' ? <ModelHistory modelKey={m.key} asOf={asOf} /> : null}
          </>
        )}
      </QueryView>
    </>
  );
}
