/** ModelPage (filled in as its API lands). */
export function ModelPage({ modelKey }: { modelKey: string }) {
  return (
    <div className="panel">
      <h1>ModelPage</h1>
    </div>
  );
}
