import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const WORKFLOW_SAFE_AGENT_FILES = ['src/agent/agent-loop.ts', 'src/agent/directives.ts', 'src/agent/types.ts', 'src/agent/tool-content.ts', 'src/agent/providers/retry-policy.ts', 'src/activities/agent-types.ts'];

const NO_TEMPORAL = { group: ['@temporalio/*'], message: 'This layer is independent of Temporal (docs/architecture.md): only activities, workflows, workers and the client use it.' };

/** A no-restricted-imports rule for the files of one layer. */
const layer = (files, patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } });

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
    // files the conversation workflow runs (its loop, directives, types) obey the same rule.
    files: ['src/workflows/**/*.ts', ...WORKFLOW_SAFE_AGENT_FILES],
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
  // The layering of docs/architecture.md, enforced: lower layers never reach up.
  layer(['src/connectors/**/*.ts', 'src/oml/**/*.ts', 'src/connections/**/*.ts'], [NO_TEMPORAL]),
  layer(['src/dataplane/**/*.ts'], [NO_TEMPORAL, { group: ['**/connectors/**'], message: 'The data plane sits below the connectors: it never imports them.' }]),
  layer(['src/config/**/*.ts'], [NO_TEMPORAL, { group: ['**/connectors/**'], message: 'Configuration never imports connectors (families live in src/connectors/families.ts).' }]),
);
