'use client';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { useApi } from '../use-api';
import styles from './FirstRun.module.css';
import { ErrorBanner, Loading } from './Notices';

// While nothing is stored yet, look again this often: the first scrape lands within a minute.
const POLL_MS = 10_000;

/**
 * What the query page shows before a selector is typed: the profile types stored in the last day as
 * one-click queries, or, on a fresh install, what to expect and where to look.
 */
export function FirstRun({ onPick }: { onPick(query: string): void }) {
  const [poll, setPoll] = useState(0);
  const { data, error, loading } = useApi<string[]>('/api/v1/label/__name__/values', {}, poll);
  const empty = data !== null && data.length === 0;
  useEffect(() => {
    if (!empty) return;
    const timer = setInterval(() => setPoll((n) => n + 1), POLL_MS);
    return () => clearInterval(timer);
  }, [empty]);

  if (error) return <ErrorBanner message={error.message} />;
  if (data === null) return loading ? <Loading what="Looking for profiles…" /> : null;
  if (empty) {
    return (
      <section className={styles.panel} data-testid="first-run">
        <h2>No profiles yet</h2>
        <p>
          profd&apos;s default configuration scrapes profd itself (this web app and its worker), so the first profiles arrive within a
          minute; this page looks again every few seconds.
        </p>
        <p>
          To profile your services, point the worker at them with a Prometheus-style config (<code>PROFD_CONFIG=profd.yaml npm start</code>,
          see the README), or push a profile: <code>curl --data-binary @cpu.pb.gz &apos;localhost:3000/api/v1/ingest?series=profile&#123;job=&quot;batch&quot;&#125;&apos;</code>.
        </p>
        <p>
          The <Link href="/targets">targets page</Link> shows what the worker scrapes and why a target fails.
        </p>
      </section>
    );
  }
  return (
    <section className={styles.panel} data-testid="profile-types">
      <h2>Pick a profile type</h2>
      <div className={styles.types}>
        {data.map((name) => (
          <button key={name} type="button" onClick={() => onPick(name)}>
            {name}
          </button>
        ))}
      </div>
      <p className={styles.hint}>
        …or type a selector above, such as <code>{`${data[0]}{job="api"}`}</code>, and press Enter. Labels and values complete as you type.
      </p>
    </section>
  );
}
