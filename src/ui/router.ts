/**
 * A small hash router: the app is one page served from the service worker's cache, and hash
 * routes need no server rewrite, so every screen opens offline from a cold start.
 */
import { useEffect, useState } from 'react';

export type Route =
  | { name: 'list' }
  | { name: 'login' }
  | { name: 'settings' }
  | { name: 'intake'; id: string; step: string; /** What to bring into view on the step (e.g. a finding id). */ focus?: string }
  | { name: 'customer'; id: string }
  | { name: 'print'; id: string }
  | { name: 'technicianQueue' }
  | { name: 'techCheck'; id: string }
  | { name: 'handover'; id: string }
  | { name: 'handoverPrint'; id: string }
  | { name: 'appointments'; date?: string }
  | { name: 'newAppointment' }
  | { name: 'editAppointment'; id: string }
  | { name: 'vehicle'; key: string }
  | { name: 'notFound'; path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [a, b, c, d] = parts;
  if (parts.length === 0) return { name: 'list' };
  if (a === 'login') return { name: 'login' };
  if (a === 'settings') return { name: 'settings' };
  if (a === 'technician') return b ? { name: 'techCheck', id: b } : { name: 'technicianQueue' };
  if (a === 'vehicle' && b) return { name: 'vehicle', key: b };
  if (a === 'handover' && b) return c === 'print' ? { name: 'handoverPrint', id: b } : { name: 'handover', id: b };
  if (a === 'appointments' && b === 'edit' && c) return { name: 'editAppointment', id: c };
  if (a === 'appointments') return b === 'new' ? { name: 'newAppointment' } : { name: 'appointments', ...(b ? { date: b } : {}) };
  if (a === 'intake' && b) {
    if (c === 'sign') return { name: 'customer', id: b };
    if (c === 'print') return { name: 'print', id: b };
    return d ? { name: 'intake', id: b, step: c ?? 'customer', focus: d } : { name: 'intake', id: b, step: c ?? 'customer' };
  }
  return { name: 'notFound', path };
}

export function hrefOf(route: Route): string {
  switch (route.name) {
    case 'list':
      return '#/';
    case 'login':
      return '#/login';
    case 'settings':
      return '#/settings';
    case 'intake':
      return `#/intake/${route.id}/${route.step}${route.focus ? `/${encodeURIComponent(route.focus)}` : ''}`;
    case 'customer':
      return `#/intake/${route.id}/sign`;
    case 'print':
      return `#/intake/${route.id}/print`;
    case 'technicianQueue':
      return '#/technician';
    case 'techCheck':
      return `#/technician/${route.id}`;
    case 'handover':
      return `#/handover/${route.id}`;
    case 'handoverPrint':
      return `#/handover/${route.id}/print`;
    case 'appointments':
      return route.date ? `#/appointments/${route.date}` : '#/appointments';
    case 'newAppointment':
      return '#/appointments/new';
    case 'editAppointment':
      return `#/appointments/edit/${route.id}`;
    case 'vehicle':
      return `#/vehicle/${encodeURIComponent(route.key)}`;
    case 'notFound':
      return '#/';
  }
}

export function navigate(route: Route, opts: { replace?: boolean } = {}): void {
  const href = hrefOf(route);
  if (opts.replace) location.replace(href);
  else location.hash = href;
}

export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
