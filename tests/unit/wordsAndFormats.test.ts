import { describe, expect, it } from 'vitest';
import { promisedTimeChoices, toLocalInput } from '../../src/features/recommendations/promisedTimes';
import { recommendationTitle } from '../../src/features/recommendations/recommendationTitle';
import { defectOffers } from '../../src/features/recommendations/defectOffers';
import { formatDateTime, formatList } from '../../src/i18n/format';
import { translate, type TFunction } from '../../src/i18n/i18n';
import type { Lang } from '../../src/i18n/defineMessages';
import { newIntake } from '../../src/model/intake/newIntake';
import { defaultTemplate } from '../../src/shared/template/template';

const tOf = (lang: Lang): TFunction => (key, vars) => translate(lang, key, vars);

describe('promised-time quick choices (local time)', () => {
  it('in the morning: +2 h rounded up to the quarter, today 17:00, tomorrow 10:00', () => {
    const now = new Date(2026, 11, 1, 9, 7); // 1 Dec 2026 09:07 local
    expect(promisedTimeChoices(now).map((c) => [c.id, c.value])).toEqual([
      ['plus2h', '2026-12-01T11:15'],
      ['today17', '2026-12-01T17:00'],
      ['tomorrowMorning', '2026-12-02T10:00'],
    ]);
  });

  it('after 17:00 "today 17:00" becomes tomorrow 17:00; month ends roll over', () => {
    const now = new Date(2026, 11, 31, 17, 45);
    expect(promisedTimeChoices(now).map((c) => [c.id, c.value])).toEqual([
      ['plus2h', '2026-12-31T19:45'],
      ['tomorrow17', '2027-01-01T17:00'],
      ['tomorrowMorning', '2027-01-01T10:00'],
    ]);
  });

  it('writes the datetime-local value of the tablet, not UTC', () => {
    expect(toLocalInput(new Date(2026, 0, 5, 8, 3))).toBe('2026-01-05T08:03');
  });
});

describe('recommendation titles are sentences, per finding type', () => {
  const intake = newIntake({ advisor: { id: 'a', name: 'A' } });
  intake.walkaround.findings = (['scratch', 'dent', 'crack', 'chip', 'rust', 'broken'] as const).map((type, i) => ({
    id: `f${i}`, positionId: 'rf', itemId: 'rf-wheel', type, severity: 'minor', marker: null, photos: [], note: '', createdAt: intake.createdAt, foundAt: 'intake' as const,
  }));
  intake.cabin.items.ac = { status: 'issue', note: '', photos: [] };

  it('in zh-CN', () => {
    const titles = defectOffers(intake, defaultTemplate, 'zh-CN').map((o) => recommendationTitle(o, tOf('zh-CN'), 'zh-CN'));
    expect(titles).toEqual([
      '右前轮胎及轮毂有划痕，建议抛光或补漆修复',
      '右前轮胎及轮毂有凹陷，建议钣金修复',
      '右前轮胎及轮毂有裂纹，建议检查后修复或更换',
      '右前轮胎及轮毂有石击掉漆，建议补漆',
      '右前轮胎及轮毂有锈蚀，建议除锈后补漆',
      '右前轮胎及轮毂破损或缺失，建议修复或更换',
      '空调有问题，建议检查维修',
    ]);
  });

  it('in English, with the part in lower case inside the sentence', () => {
    const titles = defectOffers(intake, defaultTemplate, 'en').map((o) => recommendationTitle(o, tOf('en'), 'en'));
    expect(titles[0]).toBe('Polish or repaint the scratch on the right front tyre and wheel');
    expect(titles[5]).toBe('Repair or replace the broken or missing right front tyre and wheel');
    expect(titles[6]).toBe('Inspect and repair the air conditioning');
    expect(titles.join(' ')).not.toMatch(/Broken \/ missing|\//);
  });

  it('a type a dealership template adds gets a general sentence', () => {
    const offer = { source: 'walkaround' as const, what: 'Left front door', kind: 'Hail damage', typeId: 'hail' };
    expect(recommendationTitle(offer, tOf('en'), 'en')).toBe('Repair the hail damage on the left front door');
    expect(recommendationTitle({ ...offer, what: '左前门', kind: '冰雹坑' }, tOf('zh-CN'), 'zh-CN')).toBe('左前门有冰雹坑，建议修复');
  });
});

describe('plurals, lists and dates through Intl', () => {
  it('English plurals; Chinese has none', () => {
    expect(translate('en', 'review.findingsCount', { n: 1 })).toBe('1 damage');
    expect(translate('en', 'review.findingsCount', { n: 2 })).toBe('2 damages');
    expect(translate('en', 'review.notReadyTitle', { n: 1 })).toBe('1 item to complete before signing');
    expect(translate('en', 'list.findings', { n: 1200 })).toBe('1,200 damages');
    expect(translate('zh-CN', 'review.findingsCount', { n: 2 })).toBe('2 处损伤');
  });

  it('lists with "and" in English, 、 and 和 in Chinese', () => {
    expect(formatList('en', ['Phone', 'Cash', 'Documents'])).toBe('Phone, Cash, and Documents');
    expect(formatList('zh-CN', ['手机', '现金', '证件'])).toBe('手机、现金和证件');
  });

  it('dates in words of the language, never the raw ISO text', () => {
    const iso = '2026-12-01T07:07:28.997Z';
    for (const lang of ['en', 'zh-CN'] as const) {
      const long = formatDateTime(lang, iso, 'long');
      expect(long).not.toContain('T07:07');
      expect(long).toMatch(/2026/);
      expect(long).toMatch(/:28/); // the signed time keeps its seconds
    }
    expect(formatDateTime('en', iso)).toMatch(/^Dec 1, 2026/);
    expect(formatDateTime('en', '')).toBe('—');
  });
});
