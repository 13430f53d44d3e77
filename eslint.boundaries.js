// Architecture boundaries, enforced with ESLint's no-restricted-imports (eslint.config.js).
//
//   features, app   import model, store (never store/db: Dexie stays inside the store), sync's
//                   public surface (sync/public.ts) only, ui, i18n, photos, shared; features never
//                   import app
//   below app       sync, store, model, db, shared, photos, ui, i18n never import app or features
//   server          imports shared and model only (never the store, sync, screens, React, Dexie)
//   dexie           dexie, dexie-react-hooks and store/db (getDb) only in src/store and src/sync
//
// Relative specifiers cannot be matched by folder name alone ('../sync/x' from
// src/features/intake is features/sync), so each rule is generated per depth below its layer:
// a file k folders below src/<layer>/ reaches src/ with exactly k + 1 '../'.
//
// no-restricted-imports checks static imports and re-exports; the same rules are applied to
// dynamic import() through no-restricted-syntax (lazy screens and services are loaded that way).

const MAX_DEPTH = 6;

/** A regex tail per target, matched right after the '../' that reach src/. */
const layer = (name) => `${name}(?:/|$)`;
const SYNC_INTERNAL = 'sync/(?!public$)';
const STORE_DB = 'store/db$';

const DEXIE_PACKAGES = [
  { name: 'dexie', message: 'Only src/store and src/sync use Dexie: read through store/queries.ts, write through the store.' },
  { name: 'dexie-react-hooks', message: 'Only src/store and src/sync use Dexie: use the live queries of store/queries.ts.' },
];
const SERVER_PACKAGES = [
  ...DEXIE_PACKAGES,
  { name: 'react', message: 'The server imports shared code and the model only.' },
  { name: 'react-dom', message: 'The server imports shared code and the model only.' },
];

const MESSAGES = {
  featureApp: 'Features do not import src/app: the session is in store/session (via store/queries), the router in ui/router.',
  syncInternal: 'Screens and the shell use sync only through src/sync/public.ts.',
  storeDb: 'Only src/store and src/sync open the database (store/db): read through store/queries.ts, device state through store/device.ts.',
  belowApp: 'Nothing below the app imports src/app or src/features.',
  server: 'The server imports shared code (src/shared) and the model (src/model) only.',
};

/** What each source layer may not reach. */
const RULES = {
  features: { targets: [[layer('app'), MESSAGES.featureApp], [SYNC_INTERNAL, MESSAGES.syncInternal], [STORE_DB, MESSAGES.storeDb], [layer('server'), MESSAGES.server]], packages: DEXIE_PACKAGES },
  app: { targets: [[SYNC_INTERNAL, MESSAGES.syncInternal], [STORE_DB, MESSAGES.storeDb], [layer('server'), MESSAGES.server]], packages: DEXIE_PACKAGES },
  store: { targets: [[layer('(?:app|features|server)'), MESSAGES.belowApp]], packages: [] },
  sync: { targets: [[layer('(?:app|features|server)'), MESSAGES.belowApp]], packages: [] },
  model: { targets: [[layer('(?:app|features|server)'), MESSAGES.belowApp], [STORE_DB, MESSAGES.storeDb]], packages: DEXIE_PACKAGES },
  db: { targets: [[layer('(?:app|features|server)'), MESSAGES.belowApp], [STORE_DB, MESSAGES.storeDb]], packages: DEXIE_PACKAGES },
  shared: { targets: [[layer('(?:app|features|server)'), MESSAGES.belowApp], [STORE_DB, MESSAGES.storeDb]], packages: DEXIE_PACKAGES },
  photos: { targets: [[layer('(?:app|features|server)'), MESSAGES.belowApp], [STORE_DB, MESSAGES.storeDb]], packages: DEXIE_PACKAGES },
  ui: { targets: [[layer('(?:app|features|server)'), MESSAGES.belowApp], [STORE_DB, MESSAGES.storeDb]], packages: DEXIE_PACKAGES },
  i18n: { targets: [[layer('(?:app|features|server)'), MESSAGES.belowApp], [STORE_DB, MESSAGES.storeDb]], packages: DEXIE_PACKAGES },
  server: { targets: [[layer('(?!shared/|model/|server/|\\.\\./)[^/]+'), MESSAGES.server]], packages: SERVER_PACKAGES },
};

/** The same rules for `import('…')`: esquery regexes cannot hold a '/', so it is written \\x2F. */
function dynamicImports(patterns, packages) {
  return [
    'error',
    ...patterns.map(({ regex, message }) => ({ selector: `ImportExpression[source.value=/${regex.replaceAll('/', '\\x2F')}/]`, message })),
    ...packages.map(({ name, message }) => ({ selector: `ImportExpression[source.value='${name}']`, message })),
  ];
}

function rulesFor(patterns, packages) {
  return {
    'no-restricted-imports': ['error', { paths: packages, patterns }],
    'no-restricted-syntax': dynamicImports(patterns, packages),
  };
}

function configsFor(name, { targets, packages }) {
  const out = [];
  for (let k = 0; k < MAX_DEPTH; k++) {
    const up = `^(?:\\.\\./){${k + 1}}`;
    out.push({
      files: [`src/${name}/${'*/'.repeat(k)}*.{ts,tsx}`],
      rules: rulesFor(
        targets.map(([tail, message]) => ({ regex: `${up}${tail}`, message })),
        packages,
      ),
    });
  }
  return out;
}

/** Files directly in src/ (main.tsx) are the app's entry: the app's rules, one level up. */
const ENTRY = {
  files: ['src/*.{ts,tsx}'],
  rules: rulesFor(
    [
      { regex: `^\\./${SYNC_INTERNAL}`, message: MESSAGES.syncInternal },
      { regex: `^\\./${STORE_DB}`, message: MESSAGES.storeDb },
    ],
    DEXIE_PACKAGES,
  ),
};

export const boundaries = [...Object.entries(RULES).flatMap(([name, rule]) => configsFor(name, rule)), ENTRY];
