import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** Layering: contracts import nothing of ours; runtime libs build on contracts; services on libs; apps compose services. */
const depConstraints = [
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:contracts', 'type:runtime'] },
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:contracts', 'type:runtime'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:runtime', 'type:service'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:runtime'] },
  { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['type:contracts', 'type:runtime', 'type:service', 'type:app', 'type:testing'] },
];

/** Tests may also use the shared test kit, whatever layer they test. */
const testDepConstraints = depConstraints.map((constraint) => ({
  ...constraint,
  onlyDependOnLibsWithTags: [...new Set([...constraint.onlyDependOnLibsWithTags, 'type:contracts', 'type:testing'])],
}));

const boundaries = (constraints) => [
  'error',
  { enforceBuildableLibDependency: false, allow: [], depConstraints: constraints },
];

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '.nx/**', '.kafka/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': boundaries(depConstraints),
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-eval': 'error',
      'no-new-func': 'error',
    },
  },
  {
    // Test fixtures sometimes need the loosest types to build hostile input.
    files: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@nx/enforce-module-boundaries': boundaries(testDepConstraints),
    },
  },
];
