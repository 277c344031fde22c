/** GatePage (filled in as its API lands). */
export function GatePage() {
  return (
    <div className="panel">
      <h1>GatePage</h1>
    </div>
  );
}
