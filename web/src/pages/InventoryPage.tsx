import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ModelFilters } from '../app/api.ts';
import { modelKeys } from '../app/query-keys.ts';
import { Link, useLocation, useQueryUpdater } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { Empty, ErrorState, errorMessage, Loading } from '../components/DataState.tsx';
import { downloadText, toCsv } from '../inventory/csv-export.ts';
import { InventoryFilters } from '../inventory/InventoryFilters.tsx';
import { INVENTORY_COLUMNS } from '../inventory/inventory-columns.tsx';
import { type InventoryView, toggleSort, viewFromQuery, viewToQuery } from '../inventory/inventory-view.ts';

const PAGE = 200;
const ROW_HEIGHT = 38;
const ALL_COLUMN_IDS = INVENTORY_COLUMNS.map((c) => c.id);

function filtersOf(view: InventoryView): ModelFilters {
  return {
    q: view.q || undefined,
    status: view.status || undefined,
    tier: view.tier || undefined,
    owner: view.owner || undefined,
    type: view.type || undefined,
    tag: view.tag || undefined,
    vendor: view.vendor === '' ? undefined : view.vendor === 'true',
    genai: view.genai === '' ? undefined : view.genai === 'true',
    sort: view.sort,
  };
}

/** The inventory: server-paged, virtualised, filterable; the whole view lives in the URL. */
export function InventoryPage() {
  const { client, can } = useSession();
  const { query } = useLocation();
  const updateQuery = useQueryUpdater();
  const view = viewFromQuery(query, ALL_COLUMN_IDS);
  const setView = (patch: Partial<InventoryView>) => updateQuery(viewToQuery({ ...view, ...patch }));
  const filters = filtersOf(view);

  const list = useInfiniteQuery({
    queryKey: modelKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      client.listModels({ ...filters, limit: PAGE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (prev) => prev,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const total = list.data?.pages[0]?.total;

  const columns = INVENTORY_COLUMNS.filter((c) => view.columns.includes(c.id));
  const template = columns.map((c) => `minmax(${Math.round(c.width * 0.7)}px, ${c.width}fr)`).join(' ');
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length + (list.hasNextPage ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1]!.index : 0;
  useEffect(() => {
    if (lastIndex >= rows.length - 20 && list.hasNextPage && !list.isFetchingNextPage)
      void list.fetchNextPage();
  }, [lastIndex, rows.length, list.hasNextPage, list.isFetchingNextPage, list.fetchNextPage]);

  const [exporting, setExporting] = useState<string | null>(null);
  const exportCsv = async () => {
    setExporting('Exporting…');
    try {
      const all = [];
      let cursor: string | undefined;
      do {
        const page = await client.listModels({ ...filters, limit: 500, cursor });
        all.push(...page.items);
        cursor = page.nextCursor ?? undefined;
        setExporting(`Exporting… ${all.length}`);
      } while (cursor);
      const csv = toCsv(
        columns.map((c) => ({ header: c.header, value: c.csv })),
        all,
      );
      downloadText(`assay-inventory-${new Date().toISOString().slice(0, 10)}.csv`, csv);
      setExporting(null);
    } catch (err) {
      setExporting(`Export failed: ${errorMessage(err)}`);
    }
  };

  const [copied, setCopied] = useState(false);
  const copyLink = async () => {
    await navigator.clipboard?.writeText(window.location.href).catch(() => {});
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Inventory</h1>
          <p>
            Every model with its status, tier, owner and business unit. The view (filters, sort, columns) is
            saved in the page address.
          </p>
        </div>
        <div className="row">
          <button type="button" onClick={copyLink} title="Copy a link that reopens this exact view">
            {copied ? 'Link copied' : 'Copy view link'}
          </button>
          {can.createModel ? (
            <Link to="/inventory/new" className="button primary">
              Register model
            </Link>
          ) : null}
          <button type="button" onClick={exportCsv} disabled={exporting === 'Exporting…'}>
            Export CSV
          </button>
        </div>
      </div>
      <InventoryFilters view={view} setView={setView} />
      {exporting ? (
        <div className="notice" role="status" style={{ marginBottom: 8 }}>
          {exporting}
        </div>
      ) : null}
      {list.isPending ? (
        <Loading what="Loading models" />
      ) : list.error && rows.length === 0 ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : rows.length === 0 ? (
        <Empty title="No models match this view">
          <button
            type="button"
            className="link"
            onClick={() =>
              updateQuery({
                ...viewToQuery({
                  ...view,
                  q: '',
                  status: '',
                  tier: '',
                  owner: '',
                  type: '',
                  tag: '',
                  vendor: '',
                  genai: '',
                }),
              })
            }
          >
            Clear the filters
          </button>
        </Empty>
      ) : (
        <div className="vtable">
          <div
            ref={scrollRef}
            className="vtable-body"
            style={{
              height: 'calc(100vh - 300px)',
              minHeight: 300,
              opacity: list.isPlaceholderData ? 0.6 : 1,
            }}
          >
            <table aria-label="Models" aria-rowcount={total ?? rows.length} className="vgrid">
              <thead className="vtable-head">
                <tr style={{ gridTemplateColumns: template }}>
                  {columns.map((c) => {
                    const dir =
                      view.sort === c.sortKey
                        ? 'ascending'
                        : view.sort === `-${c.sortKey}`
                          ? 'descending'
                          : 'none';
                    return (
                      <th key={c.id} scope="col" aria-sort={c.sortKey ? dir : undefined}>
                        {c.sortKey ? (
                          <button
                            type="button"
                            onClick={() => setView({ sort: toggleSort(view.sort, c.sortKey!) })}
                          >
                            {c.header}
                            {dir === 'ascending' ? ' ▲' : dir === 'descending' ? ' ▼' : ''}
                          </button>
                        ) : (
                          <span className="static">{c.header}</span>
                        )}
                      </th>
                    );
                  })}
                </tr>
              </thead>
              <tbody style={{ height: virtualizer.getTotalSize() }}>
                {items.map((v) => {
                  const m = rows[v.index];
                  return (
                    <tr
                      key={v.key}
                      className="vtable-row"
                      aria-rowindex={v.index + 2}
                      style={{
                        gridTemplateColumns: template,
                        transform: `translateY(${v.start}px)`,
                        height: ROW_HEIGHT,
                      }}
                    >
                      {m ? (
                        columns.map((c) => <td key={c.id}>{c.render(m)}</td>)
                      ) : (
                        <td className="muted">Loading more…</td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="vtable-foot" aria-live="polite">
            <span>
              Showing {rows.length.toLocaleString()}
              {total !== undefined && total !== null
                ? ` of ${total.toLocaleString()}`
                : list.hasNextPage
                  ? '+'
                  : ''}{' '}
              models
            </span>
            {list.isFetching ? <span>Updating…</span> : null}
            {list.error ? <span className="sev-critical">{errorMessage(list.error)}</span> : null}
          </div>
        </div>
      )}
    </>
  );
}
