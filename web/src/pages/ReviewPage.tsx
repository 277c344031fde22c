/** ReviewPage (filled in as its API lands). */
export function ReviewPage({ reviewId }: { reviewId: string }) {
  return (
    <div className="panel">
      <h1>ReviewPage</h1>
    </div>
  );
}
