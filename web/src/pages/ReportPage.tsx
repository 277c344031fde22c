/** ReportPage (filled in as its API lands). */
export function ReportPage({ modelKey, label }: { modelKey: string; label: string }) {
  return (
    <div className="panel">
      <h1>ReportPage</h1>
    </div>
  );
}
