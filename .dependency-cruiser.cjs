// Module boundaries (issue 15, title 7), checked by tests/platform/architecture.test.ts in `npm test`.
// Also usable by hand: `npx depcruise --config .dependency-cruiser.cjs server bot shared miniapp/src`.
//
// Paths are relative to the repository root. `tsPreCompilationDeps` keeps `import type` visible
// (marked "type-only"): the cycle rule ignores those edges (TypeScript erases them), the boundary
// rules do not (a type is part of a module's surface too, so it comes through index.ts).

/** Files the miniapp may import from shared/ at run time: zod-free, dependency-free (checked below). */
const MINIAPP_RUNTIME_SHARED = '^shared/(enums|time|rmb-capital|passenger-vat)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-runtime-cycle',
      comment:
        'No runtime import cycles in server/, bot/, shared/, miniapp/src. Type-only imports are erased at ' +
        'build time, so a cycle closed only by `import type` is not one. A lazy route `import()` counts: the ' +
        'page still depends on the module that loads it.',
      severity: 'error',
      from: { path: '^(server|bot|shared|miniapp/src)/' },
      to: {
        dependencyTypesNot: ['type-only'],
        circular: true,
        viaOnly: { dependencyTypesNot: ['type-only'] },
      },
    },
    {
      name: 'modules-through-index',
      comment:
        'A file of server/modules/<A>/ uses another module <B> only through server/modules/<B>/index.ts ' +
        '(all that other modules may call). Its own module\'s files are free. server/modules/index.ts, the ' +
        'composition of routes and registrations, lies outside every module folder and may reach in.',
      severity: 'error',
      from: { path: '^server/modules/([^/]+)/' },
      to: {
        path: '^server/modules/[^/]+/',
        pathNot: ['^server/modules/$1/', '^server/modules/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'bot-uses-server-modules-through-index',
      comment:
        'bot/ keeps channels, cards and commands and calls server use cases: of server/modules only the ' +
        "modules' index.ts. It may use the server's plumbing, server/platform (config, errors, actor, use-case " +
        'runner, the channel contract) and server/db (database handles, transactions), which every module uses ' +
        "too, and the generated Prisma types. Which tables a command reads is not visible to an import rule: " +
        'that a command never reads another module\'s tables is kept by going through those index.ts use cases. ' +
        'The composition root (server/app.ts, main.ts, startup.ts, modules/index.ts) is not bot\'s to import.',
      severity: 'error',
      from: { path: '^bot/' },
      to: {
        path: '^server/',
        pathNot: ['^server/modules/[^/]+/index\\.ts$', '^server/(platform|db|generated)/'],
      },
    },
    {
      name: 'only-composition-root-imports-bot',
      comment:
        'Only the composition root (server/app.ts, server/main.ts) imports bot/; the contract the channels ' +
        'implement (ChannelAdapter, Platform) is owned by the server, so even a type import from elsewhere counts.',
      severity: 'error',
      from: { path: '^server/', pathNot: '^server/(app|main)\\.ts$' },
      to: { path: '^bot/' },
    },
    {
      name: 'plumbing-and-shared-import-no-module',
      comment:
        'server/platform, server/db and shared/ are below every module: they import nothing of server/modules ' +
        '(nor shared/ anything of server/ or bot/), so no module or bot can reach another module\'s internals ' +
        'through a re-export there.',
      severity: 'error',
      from: { path: '^(server/(platform|db)|shared)/' },
      to: { path: '^(server/modules/|bot/)' },
    },
    {
      name: 'shared-imports-nothing-of-server',
      comment: 'shared/ is the contract of server, bot and mini-app alike: it depends on none of them.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(server|bot|miniapp)/' },
    },
    {
      name: 'miniapp-imports-types-and-enums-from-shared',
      comment:
        'The mini-app takes the API contract from shared/ as types only (`import type`, erased by Vite) and ' +
        'labels from the zod-free shared/enums.ts (and the Shanghai-day helpers of shared/time.ts, the 大写金额 of shared/rmb-capital.ts, the ticket VAT of shared/passenger-vat.ts): a runtime ' +
        'import of shared/schemas would put zod into the bundle. Nothing of server/ or bot/ at all.',
      severity: 'error',
      from: { path: '^miniapp/src/' },
      to: { path: '^shared/', pathNot: MINIAPP_RUNTIME_SHARED, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'miniapp-imports-nothing-of-server-or-bot',
      comment: 'The mini-app talks to the server over HTTP only; its contract is shared/.',
      severity: 'error',
      from: { path: '^miniapp/src/' },
      to: { path: '^(server|bot)/' },
    },
    {
      name: 'miniapp-runtime-shared-stays-dependency-free',
      comment:
        'The shared files the mini-app may load at run time import nothing at run time (so zod, decimal.js or ' +
        'a schema cannot reach the bundle through them).',
      severity: 'error',
      from: { path: MINIAPP_RUNTIME_SHARED },
      to: { dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    // Generated Prisma client and build output are not ours to shape; packages are not followed.
    exclude: { path: '^(server/generated|miniapp/dist)/|node_modules' },
    doNotFollow: { path: 'node_modules' },
    // `.ts`-extension imports (server, bot) and extension-less ones (miniapp, Vite) both resolve.
    enhancedResolveOptions: { extensions: ['.ts', '.vue', '.mjs', '.js', '.cjs', '.d.ts'] },
  },
};
