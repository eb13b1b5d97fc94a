/**
 * The layering rule (docs: /work/shared/design/architecture.md, "Layers"). Arrows point at what may be imported:
 *
 *   edge           bot/, server.ts, http/, and the composition root: index.ts, app.ts, azureSetup.ts, config.ts, logger.ts
 *     ▼
 *   handlers       commands/  actions/  dialogs/      (never each other)
 *     ▼
 *   views/         replies shared by a command and a card action
 *     ▼
 *   interaction/   the vocabulary of a turn
 *     ▼
 *   domain         core/  operations/  replication/  outbox/
 *     ▼
 *   renderers      cards/ (→ ports, kernel, i18n)   i18n/ (→ kernel)
 *     ▼
 *   ports/ ──▶ kernel/ (imports nothing of ours)
 *     ▲
 *   adapters       azure/  storage/  emulator/  telemetry/  (→ ports, kernel only; never each other)
 *
 * A layer may import any layer below it (the handlers may import the domain directly). Cycles are caught by
 * no-circular; the rest of the picture by the `only-below` rules. Paths are relative to the directory
 * depcruise runs in, so test/fixtures/layering/ can be checked with the same rules (test/lint/layering.test.ts).
 */
const path = require('node:path');

const EDGE = '^src/(bot/|http/|(index|app|server|azureSetup|config|logger)\\.ts$)';
const COMPOSITION_ROOT = '^src/(index|app|azureSetup)\\.ts$';
const BELOW_DOMAIN = 'cards|i18n|ports|kernel';
const DOMAIN = `core|operations|replication|outbox|${BELOW_DOMAIN}`;

/** From `folders`, imports of src/ must land in one of `allowed` (the folder itself is always allowed). */
function onlyBelow(name, comment, folders, allowed) {
  return {
    name,
    comment,
    severity: 'error',
    from: { path: `^src/(${folders})/` },
    // Imports of the edge are edge-is-on-top's to report (one report per wrong import).
    to: { path: '^src/', pathNot: [`^src/$1/`, `^src/(${allowed})/`, EDGE] },
  };
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles in src/, type-only imports included.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    onlyBelow('kernel-imports-nothing', 'kernel/ is the bottom: it imports nothing of ours.', 'kernel', 'kernel'),
    onlyBelow('ports-import-kernel-only', 'Ports are interfaces over the kernel vocabulary; never core.', 'ports', 'kernel'),
    onlyBelow('i18n-imports-kernel-only', 'The message catalog depends on the kernel vocabulary only.', 'i18n', 'kernel'),
    onlyBelow('cards-render-only', 'Card templates and their data models: no domain code.', 'cards', 'ports|kernel|i18n'),
    onlyBelow(
      'adapters-implement-ports',
      'azure/, storage/, emulator/, telemetry/ implement ports: they import ports and kernel only, and never each other.',
      'azure|storage|emulator|telemetry',
      'ports|kernel',
    ),
    onlyBelow('domain-below-turns', 'core, operations, replication and outbox know nothing of turns, handlers or adapters.', 'core|operations|replication|outbox', DOMAIN),
    onlyBelow('interaction-below-handlers', 'interaction/ is below commands, actions, dialogs and views.', 'interaction', DOMAIN),
    onlyBelow('views-below-handlers', 'views/ build replies; they do not dispatch.', 'views', `interaction|${DOMAIN}`),
    onlyBelow(
      'handlers-do-not-import-each-other',
      'commands/, actions/ and dialogs/ share only what lives in interaction/ (or views/); never the edge or an adapter.',
      'commands|actions|dialogs',
      `views|interaction|${DOMAIN}`,
    ),
    {
      name: 'edge-is-on-top',
      comment: 'Nothing below the edge imports bot/, server or the composition root.',
      severity: 'error',
      from: { path: '^src/', pathNot: EDGE },
      to: { path: EDGE },
    },
    {
      name: 'edge-reaches-adapters-through-the-root',
      comment: 'bot/ and server.ts get adapters from the composition root (app.ts, azureSetup.ts), never by import.',
      severity: 'error',
      from: { path: '^src/(bot/|http/|server\\.ts$)' },
      to: { path: '^src/(azure|storage|emulator|telemetry)/' },
    },
    {
      name: 'botbuilder-at-the-edge',
      comment: 'Only the edge, the dialogs (botbuilder-dialogs waterfalls) and storage (botbuilder Storage) know the Bot Framework.',
      severity: 'error',
      from: { path: '^src/', pathNot: [EDGE, '^src/(dialogs|storage)/'] },
      to: { path: '(^|/)node_modules/botbuilder' },
    },
    {
      name: 'azure-sdk-in-azure-only',
      comment: 'Only azure/ and the composition root import @azure/*.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/azure/', COMPOSITION_ROOT, '^src/bot/botConnectorTransport\\.ts$', '^src/telemetry/'] },
      to: { path: '(^|/)node_modules/@azure/' },
    },
    {
      name: 'telemetry-loads-the-monitor-distro-only',
      comment: 'telemetry/ may load Azure Monitor\'s OpenTelemetry distro (lazily), no other Azure package.',
      severity: 'error',
      from: { path: '^src/telemetry/' },
      to: { path: '(^|/)node_modules/@azure/', pathNot: '(^|/)node_modules/@azure/monitor-opentelemetry/' },
    },
    {
      name: 'connector-pipeline-only-at-the-edge',
      comment:
        "The Bot Connector transport reaches into botbuilder's ConnectorClient pipeline (@azure/core-rest-pipeline types); no Azure SDK client.",
      severity: 'error',
      from: { path: '^src/bot/botConnectorTransport\\.ts$' },
      to: { path: '(^|/)node_modules/@azure/', pathNot: '(^|/)node_modules/@azure/core-rest-pipeline/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: path.join(__dirname, 'tsconfig.json') },
    moduleSystems: ['es6', 'cjs'],
  },
};
