// Prettier, the UI's formatter (`npm run format:check`; `npx prettier --write .` to apply).
// The defaults match the code as it was written (double quotes, semicolons, trailing commas),
// at the width it was written to.
/** @type {import("prettier").Config} */
export default {
  printWidth: 140,
  overrides: [
    {
      // The dictionaries are tables: one message per line, however long, so that a message is
      // found by grep and a change to it is a one-line diff in each language.
      files: ["src/**/messages.ts", "src/i18n/labels.ts"],
      options: { printWidth: 100000 },
    },
  ],
};
