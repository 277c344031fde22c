/** ReviewsPage (filled in as its API lands). */
export function ReviewsPage() {
  return (
    <div className="panel">
      <h1>ReviewsPage</h1>
    </div>
  );
}
