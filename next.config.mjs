/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and WASM packages are loaded by Node at run time rather than bundled; so is esbuild, which
  // bundles the decoding thread's code (lib/threads/thread-bundle.ts).
  serverExternalPackages: ['@electric-sql/pglite', '@electric-sql/pglite-socket', '@datadog/pprof', 'postgres', 'esbuild'],
};

export default nextConfig;
