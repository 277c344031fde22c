const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Formats an ISO instant in the user's time zone. */
export function formatInstant(iso: string | null | undefined, withTime = true): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // Date-only values (YYYY-MM-DD) are calendar dates, not instants: do not shift them by the zone.
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return dateOnly.format(new Date(`${iso}T12:00:00`));
  return withTime ? dateTime.format(d) : dateOnly.format(d);
}

/** A <time> element showing an instant in the user's zone, with the UTC value on hover. */
export function Time({ value, withTime = true }: { value: string | null | undefined; withTime?: boolean }) {
  if (!value) return <span className="muted">—</span>;
  return (
    <time dateTime={value} title={`${value} (shown in ${zone})`}>
      {formatInstant(value, withTime)}
    </time>
  );
}

/** The user's IANA time zone, shown where times matter. */
export const userTimeZone = zone;

/** Whole days from `iso` to `now` (positive when `iso` is in the past). */
export function daysSince(iso: string, now: Date = new Date()): number {
  return Math.floor((now.getTime() - new Date(iso).getTime()) / 86_400_000);
}
