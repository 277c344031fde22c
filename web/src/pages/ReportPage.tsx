import { useQuery } from '@tanstack/react-query';
import { evidenceKeys, modelKeys, reportKeys } from '../app/query-keys.ts';
import { Link, useLocation, useQueryUpdater } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { Empty, Loading, QueryView } from '../components/DataState.tsx';
import { GenAiPanel } from '../genai/GenAiPanel.tsx';
import { ModelEvidencePanel } from '../workflow/ModelEvidencePanel.tsx';
import { ReportView } from '../workflow/ReportView.tsx';
import { VersionEvidence } from '../workflow/VersionEvidence.tsx';

/**
 * The drawn validation report of one version, from its newest engine evidence (the evidence.json
 * `assay validate --push` stores). A version whose validation reports are all links or other files
 * says so, naming them, rather than that it has no validation evidence.
 */
function ReportOf({ modelKey, label }: { modelKey: string; label: string }) {
  const { client } = useSession();
  const evidence = useQuery({
    queryKey: evidenceKeys.version(modelKey, label),
    queryFn: () => client.versionEvidence(modelKey, label),
  });
  const reports = (evidence.data ?? []).filter((e) => e.type === 'validation_report');
  const drawable = reports.some((e) => e.json);
  const report = useQuery({
    queryKey: reportKeys.validation(modelKey, label),
    queryFn: () => client.validationReport(modelKey, label),
    enabled: drawable,
  });
  if (evidence.isPending) return <Loading what="Loading the evidence" />;
  if (!drawable) {
    const run = (
      <>
        Run <code>assay validate --model {`${modelKey}@${label}`} --push</code> in the model's pipeline to
        attach the engine's evidence and see its metrics, curves, groups and drift here.
      </>
    );
    if (reports.length === 0)
      return <Empty title={`Version ${label} has no validation report yet.`}>{run}</Empty>;
    return (
      <div className="notice" role="note">
        <p style={{ margin: '0 0 6px' }}>
          Version {label}’s validation {reports.length === 1 ? 'report' : 'reports'}{' '}
          {reports.map((e, i) => (
            <span key={e.id}>
              {i > 0 ? ', ' : ''}“{e.title}” ({e.sha256 ? 'a file' : 'a link'})
            </span>
          ))}{' '}
          {reports.length === 1 ? 'is' : 'are'} not the validation engine’s evidence, so there is nothing to
          draw here: open {reports.length === 1 ? 'it' : 'them'} from the evidence list.
        </p>
        <div className="small">{run}</div>
      </div>
    );
  }
  return (
    <QueryView query={report} what="Loading the report">
      {(r) => <ReportView report={r} />}
    </QueryView>
  );
}

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
      <ModelEvidencePanel modelKey={modelKey} label={label} />
      <GenAiPanel modelKey={modelKey} label={label} />
      <section aria-labelledby="vr-h">
        <h2 id="vr-h" style={{ marginTop: 16 }}>
          Validation report
        </h2>
        <div className={compare ? 'grid grid-2' : ''}>
          <ReportOf modelKey={modelKey} label={label} />
          {compare ? <ReportOf modelKey={modelKey} label={compare} /> : null}
        </div>
      </section>
    </>
  );
}
