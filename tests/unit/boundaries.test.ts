// @vitest-environment node
/**
 * The architecture's import boundaries (eslint.boundaries.js) through ESLint's own Node API and
 * the repository's real config: each rule reports a violation, and lets the allowed import
 * through. The files are linted from memory under a path inside the tree; nothing is written.
 */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

/** The boundary messages (static imports, dynamic import()) ESLint gives `code` placed at `filePath`. */
async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const _unused = 1;\n`, { filePath });
  const messages = result?.messages ?? [];
  const fatal = messages.filter((m) => m.fatal);
  if (fatal.length) throw new Error(fatal.map((m) => m.message).join('; '));
  return messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

interface Case {
  rule: string;
  file: string;
  violation: string;
  allowed: string;
}

const cases: Case[] = [
  { rule: 'features never import app', file: 'src/features/list/Fake.tsx', violation: "import { App } from '../../app/App';", allowed: "import { navigate } from '../../ui/router';" },
  { rule: 'features never import app, at any depth', file: 'src/features/technician/walk/Fake.tsx', violation: "import { App } from '../../../app/App';", allowed: "import { useSession } from '../../../store/queries';" },
  { rule: 'features reach sync only through its public surface', file: 'src/features/settings/Fake.tsx', violation: "import { syncNow } from '../../sync/syncEngine';", allowed: "import { syncNow } from '../../sync/public';" },
  { rule: 'a sibling feature folder named sync is not the sync engine', file: 'src/features/intake/Fake.tsx', violation: "import { resolveConflict } from '../../sync/resolveConflict';", allowed: "import { ConflictBanner } from '../sync/ConflictBanner';" },
  { rule: 'features never open the database', file: 'src/features/list/Fake.tsx', violation: "import { getDb } from '../../store/db';", allowed: "import { useSummaries } from '../../store/queries';" },
  { rule: 'features never import dexie', file: 'src/features/list/Fake.tsx', violation: "import { useLiveQuery } from 'dexie-react-hooks';", allowed: "import { useState } from 'react';" },
  { rule: 'the app shell never imports dexie', file: 'src/app/Fake.ts', violation: "import Dexie from 'dexie';", allowed: "import { waitForCommittedWrites } from '../store/storage';" },
  { rule: 'the app shell reaches sync only through its public surface', file: 'src/app/Fake.ts', violation: "import { startSync } from '../sync/syncEngine';", allowed: "import { loadSyncEngine } from '../sync/public';" },
  { rule: 'sync never imports app', file: 'src/sync/Fake.ts', violation: "import { loadSession } from '../app/session';", allowed: "import { loadSession } from '../store/session';" },
  { rule: 'the store never imports features', file: 'src/store/Fake.ts', violation: "import { pinMatches } from '../features/auth/pin';", allowed: "import { getDb } from './db';" },
  { rule: 'the model never imports app', file: 'src/model/intake/Fake.ts', violation: "import { navigate } from '../../app/router';", allowed: "import { canonicalJson } from '../../shared/canonicalJson';" },
  { rule: 'shared code never imports app', file: 'src/shared/Fake.ts', violation: "import { App } from '../app/App';", allowed: "import { sha256Hex } from './sha256';" },
  { rule: 'photos never import app', file: 'src/photos/Fake.ts', violation: "import { App } from '../app/App';", allowed: "import { savePhoto } from '../store/photoStore';" },
  { rule: 'db never imports app', file: 'src/db/Fake.ts', violation: "import { App } from '../app/App';", allowed: "import { putIntakeRecord } from '../store/summaries';" },
  { rule: 'the model never imports dexie', file: 'src/model/intake/Fake.ts', violation: "import Dexie from 'dexie';", allowed: "import { z } from 'zod';" },
  { rule: 'the server never imports the store', file: 'src/server/Fake.ts', violation: "import { getDb } from '../store/db';", allowed: "import { intakeSchema } from '../model/intake/schema';" },
  { rule: 'the server never imports sync', file: 'src/server/sync/Fake.ts', violation: "import { pushOutbox } from '../../sync/pushOutbox';", allowed: "import { canonicalJson } from '../../shared/canonicalJson';" },
  { rule: 'the server never imports features', file: 'src/server/Fake.ts', violation: "import { pinMatches } from '../features/auth/pin';", allowed: "import { apply } from './sync/apply';" },
  { rule: 'the server never imports react', file: 'src/server/Fake.ts', violation: "import { useState } from 'react';", allowed: "import Fastify from 'fastify';" },
  { rule: 'a lazy import() is held to the same rules (the shell loading the engine)', file: 'src/app/Fake.ts', violation: "export const engine = () => import('../sync/syncEngine');", allowed: "export const screen = () => import('../features/settings/SettingsScreen');" },
  { rule: 'a lazy import() of dexie from a screen is refused', file: 'src/features/list/Fake.tsx', violation: "export const d = () => import('dexie');", allowed: "export const p = () => import('../../photos/processPhoto');" },
  { rule: 'a lazy import() of app from below app is refused', file: 'src/sync/Fake.ts', violation: "export const a = () => import('../app/App');", allowed: "export const e = () => import('./syncEngine');" },
];

describe('import boundaries (ESLint no-restricted-imports, and no-restricted-syntax for import())', () => {
  it.each(cases)('$rule', async ({ file, violation, allowed }) => {
    const bad = await restricted(file, violation);
    expect(bad).toHaveLength(1);
    expect(await restricted(file, allowed)).toEqual([]);
  });
});
