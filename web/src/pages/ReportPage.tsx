import { useQuery } from '@tanstack/react-query';
import { modelKeys, reportKeys } from '../app/query-keys.ts';
import { Link, useLocation, useQueryUpdater } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { QueryView } from '../components/DataState.tsx';
import { ReportView } from '../workflow/ReportView.tsx';
import { VersionEvidence } from '../workflow/VersionEvidence.tsx';

/** The validation report of a version, optionally side by side with another version's. */
export function ReportPage({ modelKey, label }: { modelKey: string; label: string }) {
  const { client } = useSession();
  const { query } = useLocation();
  const update = useQueryUpdater();
  const compare = query.get('compare') ?? '';
  const lineage = useQuery({
    queryKey: modelKeys.lineage(modelKey),
    queryFn: () => client.getLineage(modelKey),
  });
  const report = useQuery({
    queryKey: reportKeys.validation(modelKey, label),
    queryFn: () => client.validationReport(modelKey, label),
  });
  const other = useQuery({
    queryKey: reportKeys.validation(modelKey, compare),
    queryFn: () => client.validationReport(modelKey, compare),
    enabled: compare !== '',
  });
  const labels = lineage.data?.versions.map((v) => v.label).filter((l) => l !== label) ?? [];
  return (
    <>
      <div className="crumbs">
        <Link to="/inventory">Inventory</Link> /{' '}
        <Link to={`/models/${encodeURIComponent(modelKey)}?tab=versions`}>{modelKey}</Link> / {label}
      </div>
      <div className="page-head">
        <div>
          <h1>Evidence and validation report</h1>
          <p>What is attached to this version, and the engine's validation evidence drawn.</p>
        </div>
        <label className="field">
          Compare with
          <select value={compare} onChange={(e) => update({ compare: e.target.value })}>
            <option value="">no other version</option>
            {labels.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
      </div>
      <VersionEvidence modelKey={modelKey} label={label} />
      <h2 style={{ marginTop: 16 }}>Validation report</h2>
      <div className={compare ? 'grid grid-2' : ''}>
        <QueryView query={report} what="Loading the report">
          {(r) => <ReportView report={r} />}
        </QueryView>
        {compare ? (
          <QueryView query={other} what="Loading the other report">
            {(r) => <ReportView report={r} />}
          </QueryView>
        ) : null}
      </div>
    </>
  );
}
