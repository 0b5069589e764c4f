'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import styles from './SiteHeader.module.css';

const PAGES = [
  { href: '/', label: 'Query' },
  { href: '/targets', label: 'Targets' },
];

/** The bar on every page: the name and the two pages, the current one marked. */
export function SiteHeader() {
  const pathname = usePathname();
  return (
    <header className={styles.header}>
      <Link href="/" className={styles.brand}>
        profd
      </Link>
      <nav className={styles.nav}>
        {PAGES.map((page) => (
          <Link key={page.href} href={page.href} className={styles.link} aria-current={pathname === page.href ? 'page' : undefined}>
            {page.label}
          </Link>
        ))}
      </nav>
    </header>
  );
}
