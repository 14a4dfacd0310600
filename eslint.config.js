// ESLint: a few correctness rules the compiler cannot give (promises nobody awaits or catches)
// and the architecture as rules (no import cycles; services never import each other; libs never
// import services or apps; production code never imports @jetprow/testing). Formatting belongs to
// prettier, types to tsc: no style rules here.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const root = fileURLToPath(new URL('.', import.meta.url));
const services = readdirSync(new URL('services/', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

/** Production code is every .ts under a package's src/ except these (plus libs/testing itself). */
const testFiles = ['**/*.test.ts'];

// import-x/no-restricted-paths works on resolved paths, so one zone catches `@jetprow/trigger`
// (a workspace symlink resolved to services/trigger/src/index.ts), a relative
// `../../../trigger/src/x.js` and a dynamic import() alike. Flat config replaces a rule's options
// rather than merging them, so every block below lists all the zones that apply to its files.
const zone = {
  /** @param {string} service */
  otherServices: (service) => ({
    target: `services/${service}`,
    from: 'services',
    except: [`./${service}`],
    message:
      'services never import each other: they share subjects and the JobStore (docs/architecture.md; DESIGN.md). Move the shared piece into a lib.',
  }),
  servicesNoApps: {
    target: 'services',
    from: 'apps',
    message:
      'services never import apps: apps (the CLI) compose services, not the other way round.',
  },
  libsNoServices: {
    target: 'libs',
    from: 'services',
    message:
      'libs never import a service: services depend on libs, and each service scales and ships on its own (docs/architecture.md).',
  },
  libsNoApps: {
    target: 'libs',
    from: 'apps',
    message: 'libs never import apps: apps (the CLI) compose libs and services.',
  },
  /** @param {string} target */
  noTesting: (target) => ({
    target,
    from: 'libs/testing',
    message:
      'production code never imports @jetprow/testing (fakes, nats-server harness, payloads): it is test-only. Import it from *.test.ts or a testing/ folder.',
  }),
};
/** @param {object[]} zones */
const restrictPaths = (zones) => ({
  'import-x/no-restricted-paths': ['error', { basePath: root, zones }],
});

export default defineConfig(
  {
    ignores: ['**/node_modules/', '**/dist/', '**/fixtures/', '**/.jetprow/'],
  },
  {
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: [
      'libs/*/src/**/*.ts',
      'libs/*/testing/**/*.ts',
      'services/*/src/**/*.ts',
      'services/*/testing/**/*.ts',
      'apps/*/src/**/*.ts',
      'apps/*/bin/**/*.{js,mjs}',
      'bench/**/*.ts',
      'test/**/*.ts',
      'scripts/**/*.{ts,js,mjs}',
    ],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    settings: {
      // import-x reads an imported module (no-cycle follows its imports) only if it has one of
      // these extensions, with the parser named for it (type information not needed there).
      'import-x/extensions': ['.ts', '.mts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.mts'] },
      'import-x/resolver-next': [
        // `./x.js` is `./x.ts` on disk (NodeNext); @jetprow/* resolve through the workspace
        // symlinks to their package exports (`./src/index.ts`), i.e. to the real path.
        createNodeResolver({
          extensions: ['.ts', '.js', '.mjs', '.json', '.node'],
          extensionAlias: { '.js': ['.ts', '.js'], '.mjs': ['.mts', '.mjs'] },
          conditionNames: ['import', 'node', 'default'],
        }),
      ],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Default options, checksVoidReturn included: it reports nothing in this code base today
      // (no async function is handed to an event emitter or a void callback). If event handlers
      // ever flood it, relax `checksVoidReturn: { arguments: false }` rather than turning it off.
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // The code already holds to these two; its eslint-disable comments name them (a case that
      // ends in a `never` call, two untyped webhook payloads).
      'no-fallthrough': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      // Type imports are erased, so they are not cycles; external packages cannot cycle back.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // Not in tsconfig.json (plain JS launchers): parse them, skip the type-aware rules.
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
  },

  // The architecture. Later blocks override earlier ones for the files they match.
  {
    files: ['libs/*/{src,testing}/**/*.ts'],
    rules: restrictPaths([zone.libsNoServices, zone.libsNoApps]),
  },
  {
    files: ['libs/*/src/**/*.ts'],
    ignores: [...testFiles, 'libs/testing/**'],
    rules: restrictPaths([zone.libsNoServices, zone.libsNoApps, zone.noTesting('libs')]),
  },
  ...services.flatMap((s) => [
    {
      files: [`services/${s}/{src,testing}/**/*.ts`],
      rules: restrictPaths([zone.otherServices(s), zone.servicesNoApps]),
    },
    {
      files: [`services/${s}/src/**/*.ts`],
      ignores: testFiles,
      rules: restrictPaths([
        zone.otherServices(s),
        zone.servicesNoApps,
        zone.noTesting('services'),
      ]),
    },
  ]),
  {
    files: ['apps/*/src/**/*.ts'],
    ignores: testFiles,
    rules: restrictPaths([zone.noTesting('apps')]),
  },
);
