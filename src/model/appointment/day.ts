/**
 * A day of appointments, without zod (the first screen and the list read these).
 */
import type { Appointment } from './schema';

/** Today's date on this device, in its local calendar (YYYY-MM-DD). */
export function localDate(d: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** One day's appointments in slot order (time, then when booked). */
export function appointmentsOfDay<T extends Pick<Appointment, 'date' | 'time' | 'createdAt'>>(all: readonly T[], date: string): T[] {
  return all.filter((a) => a.date === date).sort((a, b) => a.time.localeCompare(b.time) || a.createdAt.localeCompare(b.createdAt));
}
