
export default function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p>There is no comparison or page at this address. Links to a comparison look like /c/abc123.</p>
      <p>
        <a href="/">Back to Slimstage</a>
      </p>
    </section>
  );
}
