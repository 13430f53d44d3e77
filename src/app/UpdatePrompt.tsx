/**
 * Offers a new app version (never applies it by itself). While a form is open the button is
 * replaced by a hint to close it first: a reload under an open form is how PWAs lose data.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { useI18n } from '../i18n/i18n';
import type { Route } from '../ui/router';
import { applyUpdate, getUpdateState, isFormRoute, onRouteChange, registerServiceWorker, subscribeUpdate } from './serviceWorker';

export function UpdatePrompt({ route }: { route: Route }) {
  const { t } = useI18n();
  const update = useSyncExternalStore(subscribeUpdate, getUpdateState, getUpdateState);

  useEffect(() => {
    void registerServiceWorker();
  }, []);
  useEffect(() => {
    onRouteChange(route);
  }, [route]);

  // Customer mode belongs to the customer: no staff prompts there.
  if (!update.available || route.name === 'customer') return null;
  const formOpen = isFormRoute(route);
  return (
    <div
      role="status"
      className="card no-print row"
      style={{ margin: '8px 12px 0', justifyContent: 'space-between', borderColor: 'var(--brand)' }}
    >
      <span>
        {t('common.updateAvailable')}
        {formOpen && <span className="muted"> · {t('common.updateAfterForm')}</span>}
      </span>
      {!formOpen && (
        <button type="button" className="primary" disabled={update.applying} onClick={() => void applyUpdate(route)}>
          {t('common.updateNow')}
        </button>
      )}
    </div>
  );
}
