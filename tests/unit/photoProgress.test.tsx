/** Photos left, MB left and the rate while photos go up: computed, and shown in Settings. */
import { beforeEach, describe, expect, it } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import { I18nProvider } from '../../src/i18n/i18n';
import { SessionProvider } from '../../src/store/session';
import { freshAdvisorTablet } from './deviceFixture';
import { SettingsScreen } from '../../src/features/settings/SettingsScreen';
import { setSyncEngineState } from '../../src/sync/syncEngineState';
import { formatMB, photoProgress } from '../../src/sync/photoProgress';

const MB = 1024 * 1024;

describe('photoProgress', () => {
  it('exact MB left when the sizes are known, and the rate since the phase began', () => {
    expect(photoProgress({ done: 10, total: 50, bytesDone: 2 * MB, bytesTotal: 10 * MB }, 0, 2000)).toEqual({ left: 40, bytesLeft: 8 * MB, bytesPerSecond: MB });
  });
  it('MB left estimated from the average so far when sizes are not known', () => {
    expect(photoProgress({ done: 4, total: 10, bytesDone: 4 * MB, bytesTotal: null }, 0, 1000)).toEqual({ left: 6, bytesLeft: 6 * MB, bytesPerSecond: 4 * MB });
  });
  it('nothing known yet: no MB left, no rate', () => {
    expect(photoProgress({ done: 0, total: 10, bytesDone: 0, bytesTotal: null }, 0, 100)).toEqual({ left: 10, bytesLeft: null, bytesPerSecond: null });
  });
  it('formats megabytes with one decimal', () => {
    expect(formatMB(1.25 * MB)).toBe('1.3');
    expect(formatMB(0)).toBe('0.0');
  });
});

describe('photo progress in Settings', () => {
  beforeEach(freshAdvisorTablet);

  it('shows photos left, MB left and the rate while uploading, and nothing after', async () => {
    render(
      <I18nProvider lang="zh-CN">
        <SessionProvider>
          <SettingsScreen />
        </SessionProvider>
      </I18nProvider>,
    );
    act(() => setSyncEngineState({ running: true, phase: 'photosUp', progress: { done: 10, total: 50 }, photos: { left: 40, bytesLeft: 8 * MB, bytesPerSecond: 2.5 * MB } }));
    expect((await screen.findByTestId('photo-progress')).textContent).toBe('还剩 40 张照片 · 约 8.0 MB · 2.5 MB/秒');
    act(() => setSyncEngineState({ running: false, phase: null, progress: null, photos: null }));
    expect(screen.queryByTestId('photo-progress')).toBeNull();
  });
});
