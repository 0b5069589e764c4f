export default function Home() {
  return (
    <main>
      <h1>profd</h1>
      <p>Continuous profiling. The query UI arrives with the web UI issue; the CLI works today: <code>npx profd --help</code>.</p>
    </main>
  );
}
