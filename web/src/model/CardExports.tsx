import { useState } from 'react';
import { useSession } from '../app/session.tsx';
import { saveDownload } from '../components/download.ts';

/** The card's standard and printable formats (GET …/card/export/{format}, or …/card/export?format=pdf). */
const FORMATS = [
  { id: 'huggingface', label: 'Hugging Face README', ext: 'md' },
  { id: 'cyclonedx', label: 'CycloneDX ML-BOM', ext: 'cdx.json' },
  { id: 'spdx', label: 'SPDX 3.0', ext: 'spdx.json' },
  { id: 'pdf', label: 'PDF', ext: 'pdf' },
] as const;

/**
 * Export buttons for a version's model card (its latest revision, as the tab shows it): a Hugging
 * Face README.md, a CycloneDX ML-BOM, an SPDX 3.0 AI document, or a PDF the server prints.
 */
export function CardExports({ modelKey, label }: { modelKey: string; label: string }) {
  const { client } = useSession();
  const [state, setState] = useState<{ busy: string | null; error: string | null }>({
    busy: null,
    error: null,
  });
  const download = async (f: (typeof FORMATS)[number]) => {
    setState({ busy: f.id, error: null });
    try {
      saveDownload(
        await client.modelCardExport(modelKey, label, f.id),
        `model-card-${modelKey}-${label}.${f.ext}`,
      );
      setState({ busy: null, error: null });
    } catch (err) {
      setState({ busy: null, error: `${f.label}: ${(err as Error).message}` });
    }
  };
  return (
    <div className="stack" style={{ gap: 6 }}>
      <fieldset
        className="row"
        aria-label="Export the model card"
        style={{ border: 0, padding: 0, margin: 0 }}
      >
        <span className="small muted">Export:</span>
        {FORMATS.map((f) => (
          <button
            key={f.id}
            type="button"
            disabled={state.busy !== null}
            aria-busy={state.busy === f.id}
            onClick={() => void download(f)}
          >
            {f.label}
          </button>
        ))}
        {state.busy ? <span className="small muted">Preparing…</span> : null}
      </fieldset>
      {state.error ? (
        <div className="notice bad" role="alert">
          {state.error}
        </div>
      ) : null}
    </div>
  );
}
