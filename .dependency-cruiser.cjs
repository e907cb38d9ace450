/**
 * The architecture rules that `npm test` checks (scripts/check-deps.mjs runs
 * dependency-cruiser with this file). Each rule says why; docs/architecture.md
 * draws the parts.
 */
const FEATURES = '^src/(attention|notify|health|jobs|schedule|slurm|restore)/';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'An import cycle means two parts own each other: find the seam (type-only imports count too).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'web-imports-only-shared',
      comment: 'The browser bundle gets src/shared and itself, never Node code.',
      severity: 'error',
      from: { path: '^src/web/' },
      to: { path: '^src/', pathNot: '^src/(web|shared)/' },
    },
    {
      name: 'shared-stands-alone',
      comment: 'src/shared compiles without Node and without the DOM: server and browser both import it (and zod, which runs in both).',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { pathNot: '^(src/shared/|node_modules/zod/)' },
    },
    {
      name: 'processes-start-in-one-place',
      comment: 'Programs run from src/process/run.ts alone (argv arrays, deadlines, output caps); tmux goes through it too.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/process/' },
      to: { path: '^(node:)?child_process$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'ptys-open-behind-the-tmux-door',
      comment: 'A browser terminal is a tmux client on a pty: src/tmux/pty.ts opens it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/tmux/pty\\.ts$' },
      to: { path: 'node_modules/node-pty/' },
    },
    {
      name: 'plumbing-knows-no-feature',
      comment: 'server/, store/, tmux/, sessions/ and process/ are what features build on; features plug in through src/daemon/services.ts.',
      severity: 'error',
      from: { path: '^src/(server|store|tmux|sessions|process|config)/' },
      to: { path: FEATURES },
    },
    {
      name: 'features-do-not-reach-into-the-root',
      comment: 'A feature sees the daemon through src/daemon/service.ts (and the socket client); the lists in src/daemon/ import the features, not the other way round.',
      severity: 'error',
      from: { path: FEATURES },
      to: { path: '^src/daemon/', pathNot: '^src/daemon/(service|client)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
