import { useEffect, useState } from 'react';
import { INVENTORY_COLUMNS } from './inventory-columns.tsx';
import type { InventoryView } from './inventory-view.ts';

/** Values the filters offer; they mirror the inventory contract's enums. */
export const MODEL_STATUSES = ['proposed', 'development', 'validation', 'approved', 'production', 'retired'];
export const MODEL_TYPES = [
  'classification',
  'regression',
  'ranking',
  'forecasting',
  'clustering',
  'llm_application',
  'agent',
  'rules_euc',
  'other',
];
export const MODEL_TIERS = ['1', '2', '3', '4'];

/** The filter bar of the inventory: search (debounced), selects, and the column chooser. */
export function InventoryFilters({
  view,
  setView,
}: {
  view: InventoryView;
  setView: (patch: Partial<InventoryView>) => void;
}) {
  const [q, setQ] = useState(view.q);
  const [owner, setOwner] = useState(view.owner);
  const [tag, setTag] = useState(view.tag);
  // Typing should not fire a request per key: settle for 250 ms first.
  useEffect(() => {
    const t = setTimeout(() => {
      if (q !== view.q || owner !== view.owner || tag !== view.tag) setView({ q, owner, tag });
    }, 250);
    return () => clearTimeout(t);
  });
  return (
    <search className="toolbar" aria-label="Filter the inventory">
      <label className="field">
        Search
        <input
          type="search"
          placeholder="Name, key, purpose…"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
      </label>
      <Select
        label="Status"
        value={view.status}
        options={MODEL_STATUSES}
        onChange={(status) => setView({ status })}
      />
      <Select
        label="Tier"
        value={view.tier}
        options={MODEL_TIERS}
        names={Object.fromEntries(MODEL_TIERS.map((t) => [t, `Tier ${t}`]))}
        onChange={(tier) => setView({ tier })}
      />
      <Select label="Type" value={view.type} options={MODEL_TYPES} onChange={(type) => setView({ type })} />
      <label className="field">
        Owner
        <input value={owner} onChange={(e) => setOwner(e.target.value)} placeholder="username" size={10} />
      </label>
      <label className="field">
        Tag
        <input value={tag} onChange={(e) => setTag(e.target.value)} size={8} />
      </label>
      <Select
        label="Vendor"
        value={view.vendor}
        options={['true', 'false']}
        names={{ true: 'third party', false: 'in-house' }}
        onChange={(vendor) => setView({ vendor: vendor as InventoryView['vendor'] })}
      />
      <Select
        label="GenAI"
        value={view.genai}
        options={['true', 'false']}
        names={{ true: 'GenAI', false: 'not GenAI' }}
        onChange={(genai) => setView({ genai: genai as InventoryView['genai'] })}
      />
      <details className="columns-chooser" style={{ position: 'relative' }}>
        <summary className="button">Columns</summary>
        <fieldset
          style={{ position: 'absolute', zIndex: 5, background: '#fff', right: 0, minWidth: 200 }}
          aria-label="Columns to show"
        >
          <legend>Show columns</legend>
          {INVENTORY_COLUMNS.map((c) => (
            <div key={c.id}>
              <label className="check">
                <input
                  type="checkbox"
                  checked={view.columns.includes(c.id)}
                  disabled={c.id === 'name'}
                  onChange={(e) =>
                    setView({
                      columns: e.target.checked
                        ? INVENTORY_COLUMNS.map((x) => x.id).filter(
                            (id) => id === c.id || view.columns.includes(id),
                          )
                        : view.columns.filter((id) => id !== c.id),
                    })
                  }
                />
                {c.header}
              </label>
            </div>
          ))}
        </fieldset>
      </details>
    </search>
  );
}

function Select(props: {
  label: string;
  value: string;
  options: readonly string[];
  names?: Record<string, string>;
  onChange: (v: string) => void;
}) {
  return (
    <label className="field">
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">all</option>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {props.names?.[o] ?? o.replaceAll('_', ' ')}
          </option>
        ))}
      </select>
    </label>
  );
}
