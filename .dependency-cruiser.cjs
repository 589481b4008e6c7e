/**
 * Imports flow one way (docs/architecture.md): the composition (app/) at the top, then the
 * api, the worker, the notifier and the identity provider, then workflows and activities,
 * then the contract they share, domain and infra at the bottom. No circle anywhere, the web
 * app (ui/) included. `npm run lint` checks it with dependency-cruiser.
 */
const layer = (name, from, mayImport, comment, alsoAllowed = []) => ({
  name,
  comment,
  severity: 'error',
  from: { path: `^${from}/` },
  // Any file of the repository (a relative import), whatever its folder: packages are npm's business.
  to: {
    dependencyTypes: ['local'],
    pathNot: [`^(${[from, ...mayImport].join('|')})/`, ...alsoAllowed],
  },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'An import circle', from: {}, to: { circular: true } },
    layer('domain-is-pure', 'domain', [], 'domain/ is pure: it imports nothing of Lotse outside itself'),
    layer('infra-at-the-bottom', 'infra', ['domain'], 'infra/ uses domain/ only'),
    layer('contract-imports-domain', 'contract', ['domain'], 'contract/ is shared by all: it imports domain/ only'),
    layer('activities', 'activities', ['contract', 'domain', 'infra'], 'activities/ sit below api and worker'),
    // Workflow code is deterministic: no I/O. It knows the activities' signatures (for
    // proxyActivities) as a type, which the bundle erases.
    layer('workflows-deterministic', 'workflows', ['contract', 'domain'], 'workflow code', ['^activities/index\\.ts$']),
    {
      name: 'workflows-see-activities-types-only',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    layer('api', 'api', ['contract', 'domain', 'infra'], 'the api talks to workflows through contract/ only'),
    // The worker bundles workflows/ by its path (worker/bundle.ts), without importing it.
    layer('worker', 'worker', ['activities', 'contract', 'domain', 'infra'], 'the worker runs activities'),
    layer('notifier', 'notifier', ['contract', 'domain', 'infra'], 'the notifier reads events'),
    layer('idp', 'idp', ['contract', 'domain', 'infra'], 'the development identity provider'),
    layer('app', 'app', ['api', 'worker', 'notifier', 'activities', 'contract', 'domain', 'infra'], 'composition'),
    layer('ui', 'ui', [], 'the web app stands alone: it knows the api by its OpenAPI types'),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|ui/dist|\\.data|test/fixtures)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
