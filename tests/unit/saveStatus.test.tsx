/**
 * The one save indicator (src/ui/SaveStatus.tsx) used by the intake steps, the walk-around, the
 * technician check and the handover: the worst state of the screen's editors, translated, with
 * the screen's own line once the record is signed.
 */
import { describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { I18nProvider } from '../../src/i18n/i18n';
import { combinedState, SaveStatus, type EditorStatus } from '../../src/ui/SaveStatus';

const idle: EditorStatus = { state: 'idle', error: null };
const saved: EditorStatus = { state: 'saved', error: null };
const pending: EditorStatus = { state: 'pending', error: null };
// Editors keep the error's code (useAutosave: a storage QuotaExceededError becomes 'storage.full').
const failed: EditorStatus = { state: 'error', error: 'storage.full' };

describe('combinedState', () => {
  it('error beats saving, saving (or pending) beats saved, saved beats idle', () => {
    expect(combinedState([saved, failed, pending])).toEqual(failed);
    expect(combinedState([saved, pending, idle])).toEqual({ state: 'saving', error: null });
    expect(combinedState([idle, saved])).toEqual({ state: 'saved', error: null });
    expect(combinedState([idle, idle])).toEqual({ state: 'idle', error: null });
    expect(combinedState([])).toEqual({ state: 'idle', error: null });
  });
});

describe('SaveStatus', () => {
  function show(lang: 'zh-CN' | 'en', ui: React.ReactNode) {
    return render(<I18nProvider lang={lang}>{ui}</I18nProvider>);
  }

  it('says nothing before the first edit, then saving and saved, in zh-CN and English', () => {
    const { rerender } = show('zh-CN', <SaveStatus editors={[idle]} />);
    expect(screen.getByRole('status').textContent).toBe('');
    rerender(<I18nProvider lang="zh-CN"><SaveStatus editors={[saved, pending]} /></I18nProvider>);
    expect(screen.getByRole('status').textContent).toBe('正在保存…');
    cleanup();
    show('en', <SaveStatus editors={[saved, idle]} />);
    expect(screen.getByRole('status').textContent).toBe('Saved automatically');
  });

  it('announces a failed save as an alert with its reason', () => {
    show('zh-CN', <SaveStatus editors={[saved, failed]} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe('保存失败：平板存储已满，未能保存');
    expect(alert.getAttribute('data-state')).toBe('error');
  });

  it('shows the screen’s read-only line once the record is signed (the intake’s by default)', () => {
    const { rerender } = show('zh-CN', <SaveStatus editors={[saved]} readOnly />);
    expect(screen.getByRole('status').textContent).toBe('已签字，内容只读（如需更正请添加补充说明）');
    rerender(<I18nProvider lang="zh-CN"><SaveStatus editors={[saved]} readOnly readOnlyText="已签字，内容不可更改" /></I18nProvider>);
    expect(screen.getByRole('status').textContent).toBe('已签字，内容不可更改');
    expect(screen.getByRole('status').getAttribute('data-state')).toBe('readonly');
  });
});
