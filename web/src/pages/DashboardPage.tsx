/** DashboardPage (filled in as its API lands). */
export function DashboardPage() {
  return (
    <div className="panel">
      <h1>DashboardPage</h1>
    </div>
  );
}
