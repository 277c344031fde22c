import type { ComplianceState, Satisfier } from '../../../src/contracts/compliance.ts';
import { Link } from '../app/router.tsx';

/** Display pieces shared by the model's compliance tab and the portfolio page. */

export const STATE_LABEL: Record<ComplianceState, string> = {
  met: 'Met',
  partly_met: 'Partly met',
  not_met: 'Not met',
  not_applicable: 'Not applicable',
};
const STATE_CLASS: Record<ComplianceState, string> = {
  met: 'ok',
  partly_met: 'warn',
  not_met: 'bad',
  not_applicable: '',
};

export function StateBadge({ state }: { state: ComplianceState }) {
  return <span className={`badge ${STATE_CLASS[state]}`}>{STATE_LABEL[state]}</span>;
}

/** What meets a requirement: each proof with its hash and date; evidence links to the version's evidence. */
export function Proofs({
  satisfiers,
  modelKey,
  versionLabel,
}: {
  satisfiers: readonly Satisfier[];
  modelKey: string;
  versionLabel: string;
}) {
  const met = satisfiers.filter((s) => s.met && s.proofs.length > 0);
  if (met.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="plain small">
      {met.flatMap((s) =>
        s.proofs.map((p) => (
          <li key={`${s.kind}:${s.name}:${p.id}`}>
            {s.kind === 'evidence' ? (
              <Link
                to={`/models/${encodeURIComponent(modelKey)}/versions/${encodeURIComponent(versionLabel)}/report`}
                title={`evidence ${p.id}`}
              >
                {p.title}
              </Link>
            ) : (
              <span>{p.title}</span>
            )}{' '}
            <span className="muted">
              ({s.kind.replace('_', ' ')} {s.name}
              {p.hash ? `; sha256 ${p.hash.slice(0, 12)}…` : ''}
              {p.date ? `; ${p.date.slice(0, 10)}` : ''})
            </span>
          </li>
        )),
      )}
    </ul>
  );
}

export function Gaps({ gaps }: { gaps: readonly string[] }) {
  if (gaps.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="plain small">
      {gaps.map((g) => (
        <li key={g}>{g}</li>
      ))}
    </ul>
  );
}
