// ESLint (flat config). Run with `npm run lint`. Type-aware rules catch promises nobody awaits.
import tseslint from 'typescript-eslint';

const rules = {
  '@typescript-eslint/no-floating-promises': 'error',
  '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
  '@typescript-eslint/no-explicit-any': 'off',
  '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'coverage/**', '**/*.cjs', '.eslint.config.mjs', 'apps/console/src/api/schema.d.ts'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    ignores: ['apps/console/**'],
    languageOptions: { parserOptions: { project: ['./test/tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
    rules,
  },
  {
    // The console is its own TypeScript project (DOM, JSX, bundler resolution).
    files: ['apps/console/**/*.ts', 'apps/console/**/*.tsx'],
    languageOptions: { parserOptions: { project: ['./apps/console/tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
    rules,
  },
);
