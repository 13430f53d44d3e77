/**
 * What screens say while they may not have the latest: a fresh tablet's list says "同步中…"
 * instead of "none" until its first pull; once a pull has completed it says "none"; offline
 * before any pull it says it has not synced yet. The handover note shows "syncing" or the
 * offline hint, and nothing once current.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import { I18nProvider } from '../../src/i18n/i18n';
import { freshAdvisorTablet } from './deviceFixture';
import { EmptyOrFirstSync, FreshnessNote } from '../../src/features/sync/Freshness';
import { setSyncEngineState } from '../../src/sync/syncEngineState';
import { writeSyncStatus } from '../../src/sync/syncStatus';
import { getDb } from '../../src/store/db';

const reset = { running: false, lastError: null, lastPullAt: null, lastSuccessAt: null };

describe('first sync and freshness notes', () => {
  beforeEach(async () => {
    await freshAdvisorTablet();
    setSyncEngineState(reset);
  });
  afterEach(() => setSyncEngineState(reset));

  it('a list says 同步中 before the first pull, then its own empty text', async () => {
    render(
      <I18nProvider lang="zh-CN">
        <EmptyOrFirstSync empty={<p>没有已签字的接车单</p>} />
      </I18nProvider>,
    );
    expect(await screen.findByText('同步中…正在从服务器取得本店的记录')).toBeTruthy();
    expect(screen.queryByText('没有已签字的接车单')).toBeNull();
    await act(async () => {
      await writeSyncStatus(getDb(), { lastPullAt: new Date().toISOString() });
    });
    expect(await screen.findByText('没有已签字的接车单')).toBeTruthy();
  });

  it('before any pull, a failed first sync says it has not synced yet (not "syncing" for ever)', async () => {
    render(
      <I18nProvider lang="en">
        <EmptyOrFirstSync empty={<p>No signed intakes</p>} />
      </I18nProvider>,
    );
    await screen.findByText(/getting this dealership's records/);
    act(() => setSyncEngineState({ running: false, lastError: { kind: 'offline', detail: 'x', at: new Date().toISOString() } }));
    expect(await screen.findByText('Not synced with the server yet: it syncs when online')).toBeTruthy();
  });

  it('the open-screen note: syncing, then the offline hint, nothing when current', () => {
    const { rerender, container } = render(
      <I18nProvider lang="zh-CN">
        <FreshnessNote state="syncing" />
      </I18nProvider>,
    );
    expect(screen.getByRole('status').textContent).toBe('同步中…');
    rerender(
      <I18nProvider lang="zh-CN">
        <FreshnessNote state="offline" />
      </I18nProvider>,
    );
    expect(screen.getByRole('status').textContent).toBe('未能连接服务器：显示的是本机已有的记录');
    rerender(
      <I18nProvider lang="zh-CN">
        <FreshnessNote state="latest" />
      </I18nProvider>,
    );
    expect(container.textContent).toBe('');
  });
});
