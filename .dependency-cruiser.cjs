/**
 * Import rules for src/ (checked by `npm run lint`): the direction of imports between the layers.
 * A module imports from modules below it only; platform/ imports no module; of a module, only its
 * routes call the use cases above it; services and repositories never see HTTP; the upgrader plugin
 * contract stands on its own.
 * Type-only imports count: they tie the layers together just the same.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle in src/: break it by moving the shared piece down or the caller up (a use case).',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'platform-imports-no-module',
      severity: 'error',
      comment: 'src/platform/ is below every module: it imports nothing from src/modules/.',
      from: { path: '^src/platform/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'devices-firmware-below-upgrades',
      severity: 'error',
      comment: 'devices and firmware are below upgrades: a step that touches both is a use case above them.',
      from: { path: '^src/modules/(devices|firmware)/' },
      to: { path: '^src/modules/upgrades/' },
    },
    {
      name: 'backups-below-upgrades',
      severity: 'error',
      comment:
        'Configuration backups are below upgrades: the worker records them through the backups service; a step ' +
        'that touches both (restoring a backup as an operation) is a use case (src/use-cases/restore-backup.ts).',
      from: { path: '^src/modules/backups/' },
      to: { path: '^src/modules/upgrades/' },
    },
    {
      name: 'audit-below-modules',
      severity: 'error',
      comment:
        'Every module records its changes in the audit log (record-audit.ts), so the audit module imports no other ' +
        'module: what needs one (who may read the log) is a use case above both (src/use-cases/read-audit-log.ts).',
      from: { path: '^src/modules/audit/' },
      to: { path: '^src/modules/(?!audit/)' },
    },
    {
      name: 'modules-below-use-cases',
      severity: 'error',
      comment:
        'Use cases (src/use-cases/) sit above the modules: only routes (*.routes.ts, the HTTP adapter) call them. ' +
        'Other module code that needs a step above it gets it injected (see onBuildFinished in src/composition.ts).',
      from: { path: '^src/modules/', pathNot: '[.]routes[.]ts$' },
      to: { path: '^src/use-cases/' },
    },
    {
      name: 'modules-below-wiring',
      severity: 'error',
      comment:
        'The wiring (src/tasks/, src/composition.ts, src/runtime.ts, src/cli/, src/main.ts) sits above the modules: ' +
        'a module declares what it needs (e.g. the context type of its *.task.ts) and the wiring provides it.',
      from: { path: '^src/modules/' },
      to: { path: '^src/(tasks/|cli/|composition[.]ts$|runtime[.]ts$|main[.]ts$)' },
    },
    {
      name: 'use-cases-without-http',
      severity: 'error',
      comment: 'Use cases are called by routes, workers and the CLI alike: they import nothing from src/http/.',
      from: { path: '^src/use-cases/' },
      to: { path: '^src/http/' },
    },
    {
      name: 'services-repositories-without-http',
      severity: 'error',
      comment: 'Services and repositories are called by routes and workers alike: they import nothing from src/http/.',
      from: { path: '[.](service|repository)[.]ts$' },
      to: { path: '^src/http/' },
    },
    {
      name: 'upgrader-contract-without-devices',
      severity: 'error',
      comment: 'The upgrader plugin contract (upgrader.ts) stands alone: it imports nothing from src/modules/devices/.',
      from: { path: '^src/modules/upgraders/upgrader[.]ts$' },
      to: { path: '^src/modules/devices/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Imports name the compiled file (`./x.js`); the source is `./x.ts`.
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
