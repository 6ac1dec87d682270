import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

/** Services never import each other: all coupling goes through contracts and Redis. */
function boundaries(inTests) {
  // Tests may also drive the platform with the reference tools in scripts/ (type:tooling).
  const testing = inTests ? ['type:testing', 'type:tooling'] : [];
  return {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: [
      {
        sourceTag: 'type:service',
        onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', ...testing],
      },
      {
        sourceTag: 'type:lib',
        onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', ...testing],
      },
      { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
      {
        sourceTag: 'type:testing',
        onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', 'type:testing'],
      },
      {
        sourceTag: 'type:tooling',
        onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', ...testing],
      },
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
    ],
  };
}

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '**/.nx', '**/.stack', '**/coverage'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries(false)],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'class-validator',
              importNames: ['Length', 'MinLength', 'MaxLength'],
              message:
                'Use TextLength/MaxTextLength (@platform/contracts): they count characters as the OpenAPI document and the column do.',
            },
          ],
        },
      ],
    },
  },
  {
    // The testing lib is for tests only: unit, integration and e2e specs, and the contract suites
    // that the unit and integration specs share.
    files: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.contract.ts',
      '**/*.e2e-spec.ts',
      '**/test/**/*.ts',
    ],
    rules: { '@nx/enforce-module-boundaries': ['error', boundaries(true)] },
  },
  {
    files: ['scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  prettier,
];
