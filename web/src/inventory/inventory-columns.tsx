import type { ReactNode } from 'react';
import type { ModelRow } from '../app/api.ts';
import { Link } from '../app/router.tsx';
import { formatInstant, Time } from '../components/Time.tsx';

/** A column of the inventory table: how it renders, exports and sorts. */
export interface InventoryColumn {
  id: string;
  header: string;
  width: number;
  /** Server sort key, when the API can sort by this column. */
  sortKey?: string;
  render: (m: ModelRow) => ReactNode;
  csv: (m: ModelRow) => unknown;
}

const STATUS_TONE: Record<string, string> = {
  proposed: '',
  development: 'info',
  validation: 'warn',
  approved: 'ok',
  production: 'ok',
  retired: '',
};

/** A lifecycle status as a coloured badge, marked when it stands on a lifecycle exception rather than a decision. */
export function StatusBadge({
  status,
  exception,
}: {
  status: string;
  exception?: { id: string; until: string; reason: string } | null | undefined;
}) {
  return (
    <>
      <span className={`badge ${STATUS_TONE[status] ?? ''}`}>{status}</span>
      {exception ? (
        <span
          className="badge warn"
          data-testid="exception-badge"
          title={`Exception ${exception.id} until ${exception.until.slice(0, 10)}: ${exception.reason}`}
        >
          by exception
        </span>
      ) : null}
    </>
  );
}

/** A risk tier as a badge; untiered models say so. */
export function TierBadge({ tier }: { tier: number | string | null | undefined }) {
  if (tier === null || tier === undefined || tier === '') return <span className="badge warn">untiered</span>;
  return <span className={`badge ${tierTone(tier)}`}>{tierLabel(tier)}</span>;
}

/** "Tier 1" for 1; text tiers are shown as they are. */
export function tierLabel(tier: number | string | null | undefined): string {
  if (tier === null || tier === undefined || tier === '') return 'untiered';
  return typeof tier === 'number' || /^\d+$/.test(tier) ? `Tier ${tier}` : tier;
}

function tierTone(tier: number | string): string {
  const t = String(tier);
  return /^1$|high|critical/i.test(t) ? 'bad' : /^2$|medium/i.test(t) ? 'warn' : 'info';
}

function findingsCell(m: ModelRow): ReactNode {
  const f = m.openFindings;
  if (!f) return <span className="muted">—</span>;
  const parts = (['critical', 'high', 'medium', 'low'] as const).filter((s) => (f[s] ?? 0) > 0);
  if (parts.length === 0) return <span className="muted">none</span>;
  return (
    <span className="row" style={{ gap: 6 }}>
      {parts.map((s) => (
        <span key={s} className={`sev sev-${s}`} title={`${f[s]} open ${s}`}>
          {f[s]} {s[0]!.toUpperCase()}
        </span>
      ))}
    </span>
  );
}

/** Every column the inventory can show. */
export const INVENTORY_COLUMNS: readonly InventoryColumn[] = [
  {
    id: 'name',
    header: 'Model',
    width: 260,
    sortKey: 'name',
    render: (m) => (
      <Link to={`/models/${encodeURIComponent(m.key)}`} title={m.key}>
        {m.name}
      </Link>
    ),
    csv: (m) => m.name,
  },
  {
    id: 'key',
    header: 'Key',
    width: 170,
    sortKey: 'key',
    render: (m) => <code>{m.key}</code>,
    csv: (m) => m.key,
  },
  {
    id: 'status',
    header: 'Status',
    width: 140,
    sortKey: 'status',
    render: (m) => <StatusBadge status={m.status} exception={m.exception} />,
    csv: (m) => (m.exception ? `${m.status} (exception until ${m.exception.until.slice(0, 10)})` : m.status),
  },
  {
    id: 'tier',
    header: 'Tier',
    width: 120,
    sortKey: 'tier',
    render: (m) => <TierBadge tier={m.tier} />,
    csv: (m) => (m.tier === null || m.tier === undefined ? '' : tierLabel(m.tier)),
  },
  { id: 'type', header: 'Type', width: 140, render: (m) => m.type.replaceAll('_', ' '), csv: (m) => m.type },
  {
    id: 'owner',
    header: 'Owner',
    width: 130,
    render: (m) => m.owner ?? '—',
    csv: (m) => m.owner,
  },
  {
    id: 'businessUnit',
    header: 'Business unit',
    width: 170,
    render: (m) => m.businessUnit ?? '—',
    csv: (m) => m.businessUnit,
  },
  {
    id: 'findings',
    header: 'Open findings',
    width: 160,
    render: findingsCell,
    csv: (m) =>
      m.openFindings
        ? (['critical', 'high', 'medium', 'low'] as const)
            .map((s) => `${s}:${m.openFindings?.[s] ?? 0}`)
            .join(' ')
        : '',
  },
  {
    id: 'nextReview',
    header: 'Next review',
    width: 130,
    render: (m) => <Time value={m.nextReviewDate ?? null} withTime={false} />,
    csv: (m) => (m.nextReviewDate ? formatInstant(m.nextReviewDate, false) : ''),
  },
  {
    id: 'completeness',
    header: 'Complete',
    width: 110,
    render: (m) =>
      m.completeness === null || m.completeness === undefined ? (
        '—'
      ) : (
        <span
          className="row"
          style={{ gap: 6, flexWrap: 'nowrap' }}
          title={`${Math.round(m.completeness * 100)}% complete`}
        >
          <svg width="40" height="8" aria-hidden="true">
            <rect width="40" height="8" rx="4" fill="#e6e9ee" />
            <rect
              width={40 * m.completeness}
              height="8"
              rx="4"
              fill={m.completeness >= 1 ? '#1e6b3a' : '#b7791f'}
            />
          </svg>
          {Math.round(m.completeness * 100)}%
        </span>
      ),
    csv: (m) =>
      m.completeness === null || m.completeness === undefined ? '' : Math.round(m.completeness * 100),
  },
  {
    id: 'vendor',
    header: 'Vendor',
    width: 130,
    render: (m) => (m.vendor ? (m.vendorName ?? 'third party') : 'in-house'),
    csv: (m) => (m.vendor ? (m.vendorName ?? 'third party') : ''),
  },
  {
    id: 'genai',
    header: 'GenAI',
    width: 70,
    render: (m) => (m.genai ? 'yes' : 'no'),
    csv: (m) => (m.genai ? 'yes' : 'no'),
  },
  { id: 'tags', header: 'Tags', width: 180, render: (m) => m.tags.join(', '), csv: (m) => m.tags },
  {
    id: 'updatedAt',
    header: 'Updated',
    width: 130,
    sortKey: 'updatedAt',
    render: (m) => <Time value={m.updatedAt ?? null} withTime={false} />,
    csv: (m) => m.updatedAt,
  },
];
