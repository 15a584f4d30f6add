import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// The app loads ui/dist from disk inside the Tauri window: no dev server, no remote content.
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  build: { outDir: "dist", emptyOutDir: true, target: "safari15", sourcemap: false },
  // The unit tests read the core's source (the timeline event kinds it writes, to check each has a label).
  server: { fs: { allow: [".", "../src-tauri/crates/core/src"] } },
  test: { environment: "jsdom", include: ["src/**/*.test.{ts,tsx}"] },
});
