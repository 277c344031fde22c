import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { Ratio } from '../app/api-workflow.ts';
import { metricsKeys } from '../app/query-keys.ts';
import { Link } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { BarChart, StackedBar } from '../charts/BarChart.tsx';
import { SEVERITY_COLOURS, seriesColour } from '../charts/palette.ts';
import { ComplianceCoverage } from '../compliance/ComplianceCoverage.tsx';
import { Empty, QueryView } from '../components/DataState.tsx';
import { Time } from '../components/Time.tsx';
import { MonitoringKpis } from '../monitoring/MonitoringKpis.tsx';

/** A ratio as a whole percentage, or a dash when there is nothing to divide. */
export function percent(r: Ratio): string {
  return r.denominator === 0 ? '—' : `${Math.round((r.numerator / r.denominator) * 100)}%`;
}

function Gauge({ label, ratio, hint }: { label: string; ratio: Ratio; hint: string }) {
  const share = ratio.denominator === 0 ? 0 : ratio.numerator / ratio.denominator;
  const colour = share >= 0.9 ? '#1e6b3a' : share >= 0.7 ? '#b7791f' : '#b0262b';
  return (
    <div className="kpi" data-kpi={label}>
      <div className="label">{label}</div>
      <div className="value" data-testid={`kpi-${label}`}>
        {percent(ratio)}
      </div>
      <svg width="100%" height="8" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true">
        <rect width="100" height="8" rx="4" fill="#e6e9ee" />
        <rect width={share * 100} height="8" rx="4" fill={colour} />
      </svg>
      <div className="label" style={{ marginTop: 4 }}>
        {ratio.numerator} of {ratio.denominator} {hint}
      </div>
    </div>
  );
}

function Count({
  label,
  value,
  tone,
  to,
  note,
}: {
  label: string;
  value: number | string;
  tone?: string;
  to?: string;
  /** What the figure counts, when it is not obvious (shown under it). */
  note?: ReactNode;
}) {
  const body = (
    <>
      <div className="label">{label}</div>
      <div className={`value ${tone ?? ''}`} data-testid={`kpi-${label}`}>
        {value}
      </div>
    </>
  );
  return (
    <div className="kpi">
      {to ? <Link to={to}>{body}</Link> : body}
      {note ? (
        <div className="label" style={{ marginTop: 4 }}>
          {note}
        </div>
      ) : null}
    </div>
  );
}

/**
 * What "Models in use" counts: every model but the retired ones (the base of the completeness and
 * tiering ratios), while the inventory lists retired models too.
 */
function ModelCountNote({ inUse, retired }: { inUse: number; retired: number }) {
  if (retired === 0) return <>every model in the inventory</>;
  return (
    <>
      not retired; {inUse + retired} in the inventory with{' '}
      <Link to="/inventory?status=retired">{retired} retired</Link>
    </>
  );
}

const SEVERITIES = ['critical', 'high', 'medium', 'low'];
const STATUSES = ['proposed', 'development', 'validation', 'approved', 'production', 'retired'];

/** The portfolio at a glance, drawn from the metrics API. */
export function DashboardPage() {
  const { client } = useSession();
  const metrics = useQuery({ queryKey: metricsKeys.all, queryFn: () => client.metrics() });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Portfolio dashboard</h1>
          <p>How complete, tiered, reviewed and remediated the model portfolio is today.</p>
        </div>
      </div>
      <QueryView query={metrics} what="Loading the portfolio metrics">
        {(m) => (
          <div className="stack">
            <div className="grid grid-4">
              <Count
                label="Models in use"
                value={m.modelCount}
                to="/inventory"
                note={<ModelCountNote inUse={m.modelCount} retired={m.byStatus.retired ?? 0} />}
              />
              <Gauge label="Inventory completeness" ratio={m.inventoryCompleteness} hint="models complete" />
              <Gauge label="Tiering completeness" ratio={m.tieringCompleteness} hint="models tiered" />
              <Gauge
                label="Periodic-review compliance"
                ratio={m.periodicReviewCompliance}
                hint="reviews on time"
              />
            </div>
            <div className="grid grid-4">
              <Count
                label="Overdue findings"
                value={m.overdue.findings}
                tone={m.overdue.findings ? 'sev-critical' : ''}
                to="/findings?overdue=true"
              />
              <Count
                label="Overdue reviews"
                value={m.overdue.reviews}
                tone={m.overdue.reviews ? 'sev-critical' : ''}
                to="/reviews"
              />
              <Gauge label="Remediation SLA adherence" ratio={m.remediationSla} hint="closed within SLA" />
              <Count
                label="Time to decision (median)"
                value={
                  m.timeToDecisionDays.median === null ? '—' : `${m.timeToDecisionDays.median.toFixed(1)} d`
                }
              />
            </div>
            {m.exceptions ? (
              <div className="grid grid-4" data-testid="exception-counts">
                <Count
                  label="In production without approval"
                  value={m.exceptions.productionWithoutApproval ?? 0}
                  tone={m.exceptions.productionWithoutApproval ? 'sev-critical' : ''}
                  to="/reports/exceptions"
                />
                <Count
                  label="Deployments the gate denies"
                  value={m.exceptions.deploymentsGateDenied ?? 0}
                  tone={m.exceptions.deploymentsGateDenied ? 'sev-critical' : ''}
                  to="/reports/exceptions"
                />
                <Count
                  label="Retired but deployed"
                  value={m.exceptions.retiredStillDeployed ?? 0}
                  tone={m.exceptions.retiredStillDeployed ? 'sev-critical' : ''}
                  to="/reports/exceptions"
                />
                <Count
                  label="Exceptions in force"
                  value={m.exceptions.exceptionsInForce ?? 0}
                  to="/reports/exceptions"
                />
              </div>
            ) : null}
            <div className="grid grid-2">
              <section className="panel" aria-labelledby="tier-h">
                <h2 id="tier-h">Models by tier</h2>
                {Object.keys(m.byTier).length ? (
                  <BarChart
                    title="Models by tier"
                    bars={Object.entries(m.byTier).map(([label, value], i) => ({
                      label,
                      value,
                      colour: label === 'untiered' ? '#6b6b6b' : seriesColour(i),
                    }))}
                  />
                ) : (
                  <Empty title="No models in the inventory yet." />
                )}
              </section>
              <section className="panel" aria-labelledby="status-h">
                <h2 id="status-h">Models by lifecycle status</h2>
                {Object.keys(m.byStatus).length ? (
                  <BarChart
                    title="Models by lifecycle status"
                    bars={[...STATUSES, ...Object.keys(m.byStatus).filter((s) => !STATUSES.includes(s))]
                      .filter((s) => s in m.byStatus)
                      .map((label) => ({ label, value: m.byStatus[label] ?? 0, colour: '#0072b2' }))}
                  />
                ) : (
                  <Empty title="No models in the inventory yet." />
                )}
              </section>
              <section className="panel" aria-labelledby="sev-h">
                <h2 id="sev-h">Open findings by severity</h2>
                <StackedBar
                  title="Open findings by severity"
                  segments={SEVERITIES.map((s) => ({
                    label: s,
                    value: m.openFindingsBySeverity[s] ?? 0,
                    colour: SEVERITY_COLOURS[s]!,
                  }))}
                />
                <h3 style={{ marginTop: 16 }}>By age</h3>
                <BarChart
                  title="Open findings by age"
                  bars={m.openFindingsByAge.map((b) => ({
                    label: b.bucket,
                    value: b.count,
                    colour: '#d55e00',
                  }))}
                />
              </section>
              <section className="panel" aria-labelledby="due-h">
                <h2 id="due-h">Reviews due</h2>
                <BarChart
                  title="Reviews due"
                  bars={[
                    { label: 'next 30 days', value: m.reviewsDue.within30, colour: '#b0262b' },
                    { label: 'next 60 days', value: m.reviewsDue.within60, colour: '#e69f00' },
                    { label: 'next 90 days', value: m.reviewsDue.within90, colour: '#009e73' },
                  ]}
                />
                <p className="small muted">
                  Decisions signed: {m.timeToDecisionDays.count}; 90th percentile time to decision{' '}
                  {m.timeToDecisionDays.p90 === null ? '—' : `${m.timeToDecisionDays.p90.toFixed(1)} days`}.
                  Decision conditions past due: {m.overdue.riskAcceptances}.
                </p>
              </section>
            </div>
            <p className="small muted">
              Figures as of <Time value={m.asOf} />.
            </p>
          </div>
        )}
      </QueryView>
      <MonitoringKpis />
      <ComplianceCoverage />
    </>
  );
}
