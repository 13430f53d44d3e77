import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, render, screen, waitFor } from '@testing-library/react';
import { useDatabase, WalkaroundDB } from '../../src/store/db';
import { createIntake } from '../../src/store/intakeWrites';
import { I18nProvider } from '../../src/i18n/i18n';
import { SyncBadge } from '../../src/features/sync/SyncBadge';
import { setSyncEngineState } from '../../src/sync/syncEngineState';

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
});
afterEach(() => act(() => setSyncEngineState({ running: false })));

const badge = () => screen.getByRole('link', { name: /同步状态/ });
const spinning = () => badge().querySelector('animateTransform') !== null;

describe('the sync badge', () => {
  it('does not spin beside "已同步": a run with nothing to send keeps the synced dot', async () => {
    render(
      <I18nProvider lang="zh-CN">
        <SyncBadge />
      </I18nProvider>,
    );
    await waitFor(() => expect(badge().textContent).toContain('已同步'));
    act(() => setSyncEngineState({ running: true, phase: 'pull' }));
    expect(badge().getAttribute('data-state')).toBe('synced');
    expect(spinning()).toBe(false);
    expect(badge().textContent).toBe('已同步');
  });

  it('spins, and says so, while something of this tablet is being sent', async () => {
    await createIntake({ id: 'sa', name: 'SA' });
    render(
      <I18nProvider lang="zh-CN">
        <SyncBadge />
      </I18nProvider>,
    );
    await waitFor(() => expect(badge().getAttribute('data-pending')).toBe('1'));
    expect(spinning()).toBe(false);
    act(() => setSyncEngineState({ running: true, phase: 'push' }));
    expect(badge().getAttribute('data-state')).toBe('syncing');
    expect(spinning()).toBe(true);
    expect(badge().textContent).toContain('同步中');
    expect(badge().textContent).not.toContain('已同步');
  });
});
