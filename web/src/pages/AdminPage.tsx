/** AdminPage (filled in as its API lands). */
export function AdminPage() {
  return (
    <div className="panel">
      <h1>AdminPage</h1>
    </div>
  );
}
