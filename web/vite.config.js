import { defineConfig } from "vite";

// The built site goes into the Python package, which serves it from `kompas serve` (no Node.js needed to run).
export default defineConfig({
  base: "/web/",
  build: {
    outDir: "../src/kompas/web/static",
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    sourcemap: false,
  },
});
