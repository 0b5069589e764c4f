import styles from './Notices.module.css';

/** An API error, in full: the API's messages say what to change. */
export function ErrorBanner({ message, testId }: { message: string; testId?: string }) {
  return (
    <div className={styles.error} role="alert" data-testid={testId ?? 'error-banner'}>
      {message}
    </div>
  );
}

/** Warnings of a partial or adjusted answer, each on its line. */
export function Warnings({ warnings }: { warnings: readonly string[] }) {
  if (warnings.length === 0) return null;
  return (
    <ul className={styles.warnings} data-testid="warnings">
      {warnings.map((w) => (
        <li key={w}>{w}</li>
      ))}
    </ul>
  );
}

/** A small spinner with what is being waited for. */
export function Loading({ what }: { what: string }) {
  return (
    <div className={styles.loading} role="status" data-testid="loading">
      <span className={styles.spinner} aria-hidden />
      {what}
    </div>
  );
}
