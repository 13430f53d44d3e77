/** Types of tests/setup/provision.mjs (plain JavaScript: it runs before node_modules exists). */
export interface ProvisionFacts {
  hasNodeModules: boolean;
  /** CHROMIUM_PATH, or Debian's /usr/bin/chromium when unset. */
  chromiumPath: string;
  chromiumPathFromEnv: boolean;
  chromiumExists: boolean;
  isRoot: boolean;
  hasApt: boolean;
}

export interface ProvisionStep {
  /** Printed before the step runs; null for a step that continues the one before. */
  label: string | null;
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** Either steps to run, or one line telling the user what to run (then nothing is run). */
export interface ProvisionPlan {
  steps: ProvisionStep[];
  failure: string | null;
}

export const DEBIAN_CHROMIUM: string;
export const APT_PACKAGES: string[];
export function planProvision(facts: ProvisionFacts): ProvisionPlan;
export function readFacts(root: string): ProvisionFacts;
