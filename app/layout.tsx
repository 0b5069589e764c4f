import type { ReactNode } from 'react';
import { SiteHeader } from './ui/SiteHeader';
import './globals.css';

export const metadata = { title: 'profd', description: 'Continuous profiling: find, merge and compare pprof profiles' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <SiteHeader />
        {children}
      </body>
    </html>
  );
}
