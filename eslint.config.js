import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.osiris/', '.tools/', 'build/', 'output/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: globals.node } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code must stay deterministic: only @temporalio/workflow and pure modules. The agent
    // files the conversation workflow imports are workflow code too.
    files: ['src/workflows/**/*.ts', 'src/agent/agent-loop.ts', 'src/agent/directives.ts', 'src/agent/types.ts', 'src/agent/tool-content.ts', 'src/activities/agent-types.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'crypto', 'os'], message: 'Workflows must be deterministic: no Node APIs.' },
            { group: ['@temporalio/activity', '@temporalio/client', '@temporalio/worker'], message: 'Workflows import only @temporalio/workflow.' },
            { group: ['**/activities/*', '!**/activities/*types.js'], message: 'Use `import type` for activities.', allowTypeImports: true },
          ],
        },
      ],
    },
  },
);
