// @vitest-environment node
/**
 * `npm test`'s set-up (tests/setup/provision.mjs): what it does on a machine without Chromium
 * or node_modules, driven through its decision function (this machine has both), and the real
 * script run with CHROMIUM_PATH pointing at a missing binary.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEBIAN_CHROMIUM, planProvision, readFacts, type ProvisionFacts } from '../setup/provision.mjs';

const ready: ProvisionFacts = {
  hasNodeModules: true,
  chromiumPath: DEBIAN_CHROMIUM,
  chromiumPathFromEnv: false,
  chromiumExists: true,
  isRoot: false,
  hasApt: true,
};
const commandsOf = (facts: ProvisionFacts) => planProvision(facts).steps.map((s) => [s.command, ...s.args].join(' '));

describe('npm test set-up plan', () => {
  it('does nothing when node_modules and Chromium are there', () => {
    expect(planProvision(ready)).toEqual({ steps: [], failure: null });
  });

  it('runs npm ci when node_modules is missing', () => {
    expect(commandsOf({ ...ready, hasNodeModules: false })).toEqual(['npm ci --no-audit --no-fund']);
  });

  it('as root on Debian installs Chromium and CJK fonts with apt-get, before npm ci', () => {
    const plan = planProvision({ ...ready, chromiumExists: false, isRoot: true, hasNodeModules: false });
    expect(plan.failure).toBeNull();
    expect(plan.steps.map((s) => [s.command, ...s.args].join(' '))).toEqual([
      'apt-get update -qq',
      'apt-get install -y -qq chromium fonts-noto-cjk',
      'npm ci --no-audit --no-fund',
    ]);
    expect(plan.steps[1]?.env).toEqual({ DEBIAN_FRONTEND: 'noninteractive' });
  });

  it('not root: stops with one line giving the exact command, and runs nothing (not even npm ci)', () => {
    const plan = planProvision({ ...ready, chromiumExists: false, hasNodeModules: false });
    expect(plan.steps).toEqual([]);
    expect(plan.failure).toBe('Chromium not found at /usr/bin/chromium: run: sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk && npm test');
  });

  it('no apt-get (not Debian): asks for CHROMIUM_PATH, even as root', () => {
    const plan = planProvision({ ...ready, chromiumExists: false, isRoot: true, hasApt: false });
    expect(plan.steps).toEqual([]);
    expect(plan.failure).toBe('Chromium not found at /usr/bin/chromium: install Chromium, then run: CHROMIUM_PATH=/path/to/chromium npm test');
  });

  it('a CHROMIUM_PATH set by hand that is missing is never papered over by apt, even as root', () => {
    const plan = planProvision({ ...ready, chromiumPath: '/opt/none/chrome', chromiumPathFromEnv: true, chromiumExists: false, isRoot: true });
    expect(plan.steps).toEqual([]);
    expect(plan.failure).toMatch(/^Chromium not found at \/opt\/none\/chrome \(CHROMIUM_PATH\): .*sudo apt-get install -y chromium fonts-noto-cjk$/);
  });

  it('reads CHROMIUM_PATH from the environment', () => {
    const before = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    try {
      const facts = readFacts(fileURLToPath(new URL('../..', import.meta.url)));
      expect(facts).toMatchObject({ chromiumPath: '/nonexistent/chromium', chromiumPathFromEnv: true, chromiumExists: false, hasNodeModules: true });
    } finally {
      if (before === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = before;
    }
  });
});

describe('the set-up script', () => {
  const script = fileURLToPath(new URL('../setup/provision.mjs', import.meta.url));

  it('with no Chromium at CHROMIUM_PATH exits 1 with one line naming the command', () => {
    const run = spawnSync(process.execPath, [script], { env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' }, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      'Chromium not found at /nonexistent/chromium (CHROMIUM_PATH): point CHROMIUM_PATH at a Chromium binary, or unset it and run: sudo apt-get install -y chromium fonts-noto-cjk',
    ]);
  });

  it('with everything present exits 0 and prints nothing', () => {
    const run = spawnSync(process.execPath, [script], { env: { ...process.env, CHROMIUM_PATH: process.execPath }, encoding: 'utf8' });
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
  });
});
