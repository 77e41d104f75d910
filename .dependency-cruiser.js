/**
 * Which part may use which (docs/CONTRIBUTING.md): `npm run arch` fails on any import that
 * breaks these rules. Type-only imports count too: they couple code just the same.
 *
 *   main / app.module ──► config, database, common, platform, auth, users, tasks, health
 *   platform (the HTTP edge) ──► common, config
 *   auth  ──► users (its module, service and response DTOs), common, config, database
 *   users, tasks, health and every other module ──► common, config, database (the SQL runner),
 *     and the users module's AccountHooks (the account's life cycle) and UsersService
 *   database ──► config, common (which errors mean the database is unavailable)
 *   a module's SQL ──► only in its *.repository.ts, through the database module's SqlRunner
 *   common ──► nothing of ours
 */
/** A feature module: any folder of src/ but the shared ones (a new module is covered as it lands). */
const MODULE = '(?!(?:common|config|database|platform)/)([^/]+)';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: split the shared part out, or let one side react to an event instead.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'common-is-standalone',
      severity: 'error',
      comment: 'src/common is used by every module and uses none of ours.',
      from: { path: '^src/common/' },
      to: { path: '^src/', pathNot: '^src/common/' },
    },
    {
      name: 'platform-uses-common-and-config',
      severity: 'error',
      comment:
        'src/platform (from the socket to the controller) knows the configuration and common (exceptions, ' +
        'decorators), never a feature module, the database or the logging set-up: it is handed its logger.',
      from: { path: '^src/platform/' },
      to: { path: '^src/', pathNot: '^src/(platform|common|config)/' },
    },
    {
      name: 'features-know-no-platform',
      severity: 'error',
      comment:
        'A feature module is plain Nest: it throws exceptions and uses the decorators of src/common ' +
        '(Body, ChecksBeforeBody), never the platform that reads bodies and writes problems.',
      from: { path: '^src/[^/]+/', pathNot: '^src/platform/' },
      to: { path: '^src/platform/' },
    },
    {
      name: 'database-knows-no-module',
      severity: 'error',
      comment: 'src/database knows the configuration and common, never a feature module.',
      from: { path: '^src/database/' },
      to: { path: '^src/', pathNot: '^src/(database|config|common)/' },
    },
    {
      name: 'config-is-standalone',
      severity: 'error',
      comment: 'src/config only reads and validates the environment.',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: '^src/config/' },
    },
    {
      name: 'modules-use-common-config-and-database',
      severity: 'error',
      comment:
        'A feature module (every folder of src/ but common, config and database) uses itself, ' +
        'common, config and database (the SQL runner, for a hand-written repository): never another ' +
        'module or the app root. The caller arrives through @CurrentUser; a reaction to another module ' +
        'goes through an event.',
      from: { path: `^src/${MODULE}/`, pathNot: '^src/auth/' },
      to: {
        path: '^src/',
        // The account's life cycle (the users module's AccountHooks), users' names beside a module's rows, who may
        // do what inside lists (the lists module's ListAccess and roles), and the change log every write records to
        // (and its retention, which a module that reads the log later may hold back).
        pathNot: [
          '^src/$1/',
          '^src/(common|config|database)/',
          '^src/users/(users[.]module|users[.]service|account-hooks)[.]ts$',
          '^src/(lists/lists|tasks/tasks)[.]module[.]ts$',
          '^src/lists/(list-access|list-role)[.]ts$',
          '^src/changes/(change-log|change-log[.]module|change|change-snapshots|change-signals|change-statement|change-retention)[.]ts$',
        ],
      },
    },
    {
      name: 'auth-uses-users-through-its-service',
      severity: 'error',
      comment:
        'Modules meet through exported services: auth may also import UsersModule, UsersService, ' +
        "IdentitiesService, the users' response DTOs and the profile-change DTO (its route needs the password, " +
        'which auth checks), never the User entity, its repository or its controller.',
      from: { path: '^src/auth/' },
      to: {
        path: '^src/',
        pathNot: [
          '^src/(auth|common|config|database)/',
          '^src/users/(users[.]module|users[.]service|identities[.]service|dto/([^/]+-response|update-user)[.]dto)[.]ts$',
        ],
      },
    },
    {
      name: 'sql-only-in-repositories',
      severity: 'error',
      comment:
        'A module reaches the database only through its *.repository.ts, which runs its statements with the ' +
        "database module's SqlRunner; services, controllers and guards keep the rules and never hold SQL. " +
        'A service may name the SqlSession type, to hand a transaction to another module’s service.',
      from: { path: `^src/${MODULE}/`, pathNot: '[.]repository[.]ts$' },
      to: { path: '^src/database/sql-runner[.]ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-typeorm-data-access-in-modules',
      severity: 'error',
      comment:
        'Entities (decorators) and modules (TypeOrmModule.forFeature) use TypeORM; no other file of a feature ' +
        'module does: no Repository, DataSource or query builder beside the SqlRunner.',
      from: { path: `^src/${MODULE}/`, pathNot: '[.](entity|module|spec)[.]ts$' },
      to: { path: '(^|/)node_modules/(typeorm|@nestjs/typeorm)/' },
    },
    {
      name: 'retry-lives-in-the-database-module',
      severity: 'error',
      comment:
        'Lost races are run again by SqlRunner (write(), transaction(work, { retry: true })), where ' +
        'transactions run; a module never wraps its own work in retryTransient.',
      from: { path: '^src/', pathNot: '^src/database/' },
      to: { path: '^src/database/retry-transient[.]ts$' },
    },
    {
      name: 'list-building-knows-no-dto',
      severity: 'error',
      comment:
        "A module's list/ (cursor, sort keys, list statement) is used by its dto/ (the query's allowed values), " +
        'never the other way round: the HTTP contract depends on the listing, not both on each other.',
      from: { path: '^src/([^/]+)/list/' },
      to: { path: '^src/$1/dto/' },
    },
    {
      name: 'no-src-to-test',
      severity: 'error',
      comment:
        'Application code never depends on test code. Specs next to the code may use the test helpers ' +
        '(service specs build the real application on the test database); they are never built or shipped.',
      from: { path: '^src/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^test/' },
    },
    {
      name: 'no-migration-to-src',
      severity: 'error',
      comment: 'A migration is frozen in time: it must not change when an entity or a service does.',
      from: { path: '^migrations/' },
      to: { path: '^(src|test)/' },
    },
    {
      name: 'no-src-to-dev-dependency',
      severity: 'error',
      comment: 'The application ships without devDependencies; unit specs may use them.',
      from: { path: '^(src|migrations)/', pathNot: '[.]spec[.]ts$' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-undeclared-package',
      severity: 'error',
      comment: 'Every package imported is listed in package.json, not present by chance.',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve to a file.',
      // test/fixtures/ holds programs that a test compiles against code it generates first.
      from: { pathNot: '^test/fixtures/' },
      to: { couldNotResolve: true },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A module nothing imports and that imports nothing: dead, or a forgotten wiring.',
      // Entry points that Jest, TypeORM and Node load by name.
      from: {
        orphan: true,
        pathNot: [
          '[.]d[.]m?ts$',
          '^migrations/',
          '^test/([^/]+/[^/]+[.]e2e-spec[.]ts|global-(setup|teardown)[.]mjs|setup-env[.]ts)$',
        ],
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
