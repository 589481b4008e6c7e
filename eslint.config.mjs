// House style: the recommended rules of ESLint and typescript-eslint, lines of at most
// 120 characters (Prettier formats; strings and URLs may run longer).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', 'dist/**', 'test/fixtures/**', 'ui/dist/**', 'ui/src/schema.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'max-len': [
        'error',
        { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Changes of workflow behaviour are patches listed in one file (workflows/versions.ts), which alone may patch.
  {
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['workflows/versions.ts', 'bench/server/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@temporalio/workflow',
              importNames: ['patched', 'deprecatePatch'],
              message: 'List the patch in workflows/versions.ts and branch with its since() / deprecated().',
            },
          ],
          patterns: [
            {
              group: ['@temporalio/workflow/**'],
              importNames: ['patched', 'deprecatePatch'],
              message: 'List the patch in workflows/versions.ts and branch with its since() / deprecated().',
            },
          ],
        },
      ],
    },
  },
  // CommonJS configuration files (dependency-cruiser's).
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  // Workflow code states its invariants: a non-null assertion says why it holds.
  { files: ['workflows/**'], rules: { '@typescript-eslint/no-non-null-assertion': 'error' } },
  // Tests read JSON answers whose shape the assertions check.
  { files: ['test/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
