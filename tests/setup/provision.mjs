// @ts-check
/**
 * `npm test`'s set-up (run as the `pretest` script, so before lint and every test file): on a
 * fresh clone it installs what the tests need, or says in one line how to.
 *
 *  - no node_modules: `npm ci`.
 *  - no Chromium at CHROMIUM_PATH (default Debian's /usr/bin/chromium, which tests/e2e/harness.ts
 *    launches): as root on Debian/Ubuntu (apt-get present), `apt-get install chromium
 *    fonts-noto-cjk` (the CJK fonts so the zh-CN screens render as on a tablet); otherwise stop
 *    with one line naming the exact command. A CHROMIUM_PATH set by hand is never "fixed" by
 *    apt (it would install somewhere else): it must exist.
 *
 * Plain JavaScript on purpose: it runs before node_modules (and so tsx) exists. The decision is
 * a pure function (planProvision) so the unit test can drive the paths this machine lacks.
 * Nothing here needs the network unless something is missing.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';
export const APT_PACKAGES = ['chromium', 'fonts-noto-cjk'];

/**
 * @param {import('./provision.d.mts').ProvisionFacts} facts
 * @returns {import('./provision.d.mts').ProvisionPlan}
 */
export function planProvision(facts) {
  /** @type {import('./provision.d.mts').ProvisionStep[]} */
  const steps = [];
  if (!facts.chromiumExists) {
    const apt = `apt-get install -y ${APT_PACKAGES.join(' ')}`;
    if (facts.chromiumPathFromEnv && facts.chromiumPath !== DEBIAN_CHROMIUM) {
      return { steps: [], failure: `Chromium not found at ${facts.chromiumPath} (CHROMIUM_PATH): point CHROMIUM_PATH at a Chromium binary, or unset it and run: sudo ${apt}` };
    }
    if (!facts.hasApt) {
      return { steps: [], failure: `Chromium not found at ${facts.chromiumPath}: install Chromium, then run: CHROMIUM_PATH=/path/to/chromium npm test` };
    }
    if (!facts.isRoot) {
      return { steps: [], failure: `Chromium not found at ${facts.chromiumPath}: run: sudo apt-get update && sudo ${apt} && npm test` };
    }
    steps.push(
      { label: `Chromium not found at ${facts.chromiumPath}: installing ${APT_PACKAGES.join(', ')} with apt-get`, command: 'apt-get', args: ['update', '-qq'], env: { DEBIAN_FRONTEND: 'noninteractive' } },
      { label: null, command: 'apt-get', args: ['install', '-y', '-qq', ...APT_PACKAGES], env: { DEBIAN_FRONTEND: 'noninteractive' } },
    );
  }
  if (!facts.hasNodeModules) {
    steps.push({ label: 'node_modules missing: npm ci', command: 'npm', args: ['ci', '--no-audit', '--no-fund'], env: {} });
  }
  return { steps, failure: null };
}

/** @param {string} path */
function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** @param {string} name */
function onPath(name) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && isExecutable(join(dir, name)));
}

/**
 * @param {string} root the repository's top folder
 * @returns {import('./provision.d.mts').ProvisionFacts}
 */
export function readFacts(root) {
  const fromEnv = process.env.CHROMIUM_PATH;
  const chromiumPath = fromEnv || DEBIAN_CHROMIUM;
  return {
    hasNodeModules: ['vitest', 'eslint', 'tsc', 'vite'].every((bin) => existsSync(join(root, 'node_modules', '.bin', bin))),
    chromiumPath,
    chromiumPathFromEnv: Boolean(fromEnv),
    chromiumExists: isExecutable(chromiumPath),
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    hasApt: onPath('apt-get'),
  };
}

function main() {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const plan = planProvision(readFacts(root));
  if (plan.failure) {
    process.stderr.write(`${plan.failure}\n`);
    process.exit(1);
  }
  for (const step of plan.steps) {
    if (step.label) process.stdout.write(`${step.label}\n`);
    const run = spawnSync(step.command, step.args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...step.env } });
    if (run.status !== 0) {
      process.stderr.write(`set-up failed: ${step.command} ${step.args.join(' ')} (exit ${run.status ?? run.signal})\n`);
      process.exit(1);
    }
  }
  const after = readFacts(root);
  if (!after.chromiumExists) {
    process.stderr.write(`Chromium still not found at ${after.chromiumPath} after installing it; set CHROMIUM_PATH to a Chromium binary\n`);
    process.exit(1);
  }
}

/** Run as a script (not imported by the unit test); realpath so a symlinked checkout counts too. */
function isMain() {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) main();
