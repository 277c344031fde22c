/**
 * The inventory's view state (filters, search, sort, columns) and its round trip through the URL
 * query string, so a view can be bookmarked, shared and restored.
 */
export interface InventoryView {
  q: string;
  status: string;
  tier: string;
  owner: string;
  type: string;
  tag: string;
  vendor: '' | 'true' | 'false';
  genai: '' | 'true' | 'false';
  sort: string;
  columns: string[];
}

/** The columns shown when the URL names none. */
export const DEFAULT_COLUMNS = [
  'name',
  'status',
  'tier',
  'owner',
  'businessUnit',
  'findings',
  'nextReview',
  'completeness',
];

/** Every filter key in URL order. */
export const FILTER_KEYS = ['q', 'status', 'tier', 'owner', 'type', 'tag', 'vendor', 'genai'] as const;

/** Reads a view from a query string; unknown or malformed values fall back to the defaults. */
export function viewFromQuery(query: URLSearchParams, knownColumns: readonly string[]): InventoryView {
  const flag = (v: string | null): '' | 'true' | 'false' => (v === 'true' || v === 'false' ? v : '');
  const cols = (query.get('cols') ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter((c) => knownColumns.includes(c));
  return {
    q: query.get('q') ?? '',
    status: query.get('status') ?? '',
    tier: query.get('tier') ?? '',
    owner: query.get('owner') ?? '',
    type: query.get('type') ?? '',
    tag: query.get('tag') ?? '',
    vendor: flag(query.get('vendor')),
    genai: flag(query.get('genai')),
    sort: query.get('sort') ?? 'name',
    columns: cols.length ? cols : [...DEFAULT_COLUMNS],
  };
}

/** Writes a view as query-string changes (defaults removed so URLs stay short). */
export function viewToQuery(view: InventoryView): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const k of FILTER_KEYS) out[k] = view[k] || null;
  out.sort = view.sort === 'name' ? null : view.sort;
  out.cols = view.columns.join(',') === DEFAULT_COLUMNS.join(',') ? null : view.columns.join(',');
  return out;
}

/** Toggles the direction of a sort key: `name` ⇄ `-name`; a new key starts ascending. */
export function toggleSort(current: string, key: string): string {
  if (current === key) return `-${key}`;
  if (current === `-${key}`) return key;
  return key;
}
