import { useState } from 'react';
import { useSession } from '../app/session.tsx';
import { saveDownload } from '../components/download.ts';

/**
 * Downloads the model's signed audit package (GET /api/v1/models/{key}/audit-package; as of the
 * time shown, when the page shows a past state). The browser receives it with the session's token
 * and saves it; `assay verify-package` checks it offline.
 */
export function AuditPackageButton({ modelKey, asOf }: { modelKey: string; asOf: string | null }) {
  const { client } = useSession();
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const download = async () => {
    setState({ busy: true, error: null });
    try {
      saveDownload(await client.auditPackage(modelKey, asOf), `audit-package-${modelKey}.zip`);
      setState({ busy: false, error: null });
    } catch (err) {
      setState({ busy: false, error: (err as Error).message });
    }
  };
  return (
    <div className="stack" style={{ alignItems: 'flex-end' }}>
      <button type="button" disabled={state.busy} onClick={() => void download()}>
        {state.busy ? 'Preparing audit package…' : 'Download audit package'}
      </button>
      {state.error ? (
        <div className="notice bad" role="alert">
          {state.error}
        </div>
      ) : null}
    </div>
  );
}
