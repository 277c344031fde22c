/** FindingsPage (filled in as its API lands). */
export function FindingsPage() {
  return (
    <div className="panel">
      <h1>FindingsPage</h1>
    </div>
  );
}
