// ESLint, the UI's linter (`npm run lint`, no warning allowed): the recommended rules of
// JavaScript, typescript-eslint and React's hooks (rules of hooks, exhaustive deps and the
// React Compiler's checks). Formatting is Prettier's (prettier.config.js), not ESLint's.
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  // Built output, and the bindings tauri-specta generates from the Rust commands.
  globalIgnores(["dist/", "src/ipc/bindings.ts"]),
  js.configs.recommended,
  tseslint.configs.recommended,
  reactHooks.configs.flat.recommended,
  {
    languageOptions: { globals: { ...globals.browser } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
);
