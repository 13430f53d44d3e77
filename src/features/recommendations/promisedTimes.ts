/**
 * One-tap choices for the promised completion time (预计交车时间), computed from now in the
 * tablet's local time, as the datetime-local value the field stores ("2026-12-01T17:00"):
 * - "+2 小时": two hours from now, rounded up to the next quarter hour;
 * - "今天 17:00" while it is still before 17:00, otherwise "明天 17:00";
 * - "明天上午": tomorrow at 10:00.
 * Pure (now is an argument), so the choices are tested at any hour of the day.
 */

export type PromisedChoiceId = 'plus2h' | 'today17' | 'tomorrow17' | 'tomorrowMorning';

export interface PromisedChoice {
  id: PromisedChoiceId;
  at: Date;
  /** The field's value: local "YYYY-MM-DDTHH:mm". */
  value: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A Date as a datetime-local value, in the tablet's time zone. */
export function toLocalInput(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function at(base: Date, dayOffset: number, hours: number, minutes = 0): Date {
  return new Date(base.getFullYear(), base.getMonth(), base.getDate() + dayOffset, hours, minutes, 0, 0);
}

export const WORKDAY_END_HOUR = 17;
export const MORNING_HOUR = 10;

export function promisedTimeChoices(now: Date): PromisedChoice[] {
  const quarter = 15 * 60_000;
  const plus2 = new Date(Math.ceil((now.getTime() + 2 * 3_600_000) / quarter) * quarter);
  const endToday = at(now, 0, WORKDAY_END_HOUR);
  const choices: [PromisedChoiceId, Date][] = [
    ['plus2h', plus2],
    now < endToday ? ['today17', endToday] : ['tomorrow17', at(now, 1, WORKDAY_END_HOUR)],
    ['tomorrowMorning', at(now, 1, MORNING_HOUR)],
  ];
  return choices.map(([id, d]) => ({ id, at: d, value: toLocalInput(d) }));
}
