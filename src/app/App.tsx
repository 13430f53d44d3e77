/**
 * The shell: providers, header, and the route switch. Heavy screens (walk-around diagram,
 * signature pad, print, technician, handover) load lazily so the first screen stays small;
 * the service worker precaches every chunk, so lazy screens open offline too.
 */
import { lazy, Suspense, type ReactNode } from 'react';
import { I18nProvider, useI18n } from '../i18n/i18n';
import { SessionProvider, useSession, type Role } from '../store/queries';
import { useRoute, type Route } from '../ui/router';
import { AppHeader } from './AppHeader';
import { IntakeListScreen } from '../features/list/IntakeListScreen';
import { useStorageGuard } from './useStorageGuard';
import { useDeferredServices } from './useDeferredServices';
import { UpdatePrompt } from './UpdatePrompt';

// The login screen appears once per device: its auth client (zod-validated) loads on demand.
const LoginScreen = lazy(() => import('../features/auth/LoginScreen').then((m) => ({ default: m.LoginScreen })));
const IntakeWizard = lazy(() => import('../features/intake/IntakeWizard').then((m) => ({ default: m.IntakeWizard })));
const CustomerModeScreen = lazy(() => import('../features/signature/CustomerModeScreen').then((m) => ({ default: m.CustomerModeScreen })));
const PrintScreen = lazy(() => import('../features/print/PrintScreen').then((m) => ({ default: m.PrintScreen })));
const SettingsScreen = lazy(() => import('../features/settings/SettingsScreen').then((m) => ({ default: m.SettingsScreen })));
const TechnicianQueueScreen = lazy(() => import('../features/technician/TechnicianQueueScreen').then((m) => ({ default: m.TechnicianQueueScreen })));
const TechnicianCheckScreen = lazy(() => import('../features/technician/TechnicianCheckScreen').then((m) => ({ default: m.TechnicianCheckScreen })));
const HandoverScreen = lazy(() => import('../features/handover/HandoverScreen').then((m) => ({ default: m.HandoverScreen })));
const AppointmentsScreen = lazy(() => import('../features/appointments/AppointmentsScreen').then((m) => ({ default: m.AppointmentsScreen })));
const AppointmentFormScreen = lazy(() => import('../features/appointments/AppointmentFormScreen').then((m) => ({ default: m.AppointmentFormScreen })));
const VehicleTimelineScreen = lazy(() => import('../features/history/VehicleTimelineScreen').then((m) => ({ default: m.VehicleTimelineScreen })));
const HandoverPrintScreen = lazy(() => import('../features/handover/HandoverPrintScreen').then((m) => ({ default: m.HandoverPrintScreen })));

function Loading() {
  const { t } = useI18n();
  return (
    <p role="status" className="muted">
      {t('common.loading')}
    </p>
  );
}

/** Home is the role's own work list: a technician lands on the queue of cars to check, never on
 *  the advisor's intake list with its "+ 新建接车" (a PIN switch to a technician lands there too). */
function screenFor(route: Route, role: Role | undefined): ReactNode {
  switch (route.name) {
    case 'list':
      return role === 'technician' ? <TechnicianQueueScreen /> : <IntakeListScreen />;
    case 'login':
      return <LoginScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'intake':
      return <IntakeWizard id={route.id} step={route.step} />;
    case 'customer':
      return <CustomerModeScreen id={route.id} />;
    case 'print':
      return <PrintScreen id={route.id} />;
    case 'technicianQueue':
      return <TechnicianQueueScreen />;
    case 'techCheck':
      return <TechnicianCheckScreen id={route.id} />;
    case 'handover':
      return <HandoverScreen id={route.id} />;
    case 'handoverPrint':
      return <HandoverPrintScreen id={route.id} />;
    case 'appointments':
      return <AppointmentsScreen date={route.date} />;
    case 'newAppointment':
      return <AppointmentFormScreen />;
    case 'editAppointment':
      return <AppointmentFormScreen id={route.id} />;
    case 'vehicle':
      return <VehicleTimelineScreen plateOrVin={route.key} />;
    case 'notFound':
      return role === 'technician' ? <TechnicianQueueScreen /> : <IntakeListScreen />;
  }
}

function Shell() {
  const route = useRoute();
  const session = useSession();
  useStorageGuard();
  // Sync engine + staff-list refresh, loaded after the first screen (see useDeferredServices).
  useDeferredServices(!!session);
  // Customer mode owns the whole screen: no header, no way out without the advisor.
  const bare = route.name === 'customer';
  if (session === undefined) return <Loading />;
  const content = session === null && route.name !== 'login' ? <LoginScreen /> : screenFor(route, session?.staff.role);
  return (
    <>
      {!bare && <AppHeader />}
      <UpdatePrompt route={route} />
      <main id="main">
        <Suspense fallback={<Loading />}>{content}</Suspense>
      </main>
    </>
  );
}

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <Shell />
      </SessionProvider>
    </I18nProvider>
  );
}
