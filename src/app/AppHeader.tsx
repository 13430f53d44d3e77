import { useI18n } from '../i18n/i18n';
import { useSession } from '../store/queries';
import { SyncBadge } from '../features/sync/SyncBadge';

export function AppHeader() {
  const { t, lang, setLang } = useI18n();
  const session = useSession();
  return (
    <header className="app-header">
      <h1>
        <a href="#/" style={{ border: 'none', textDecoration: 'none' }}>
          {t('common.appName')}
        </a>
      </h1>
      {session && <SyncBadge />}
      {session && (
        <a className="button" href="#/settings" aria-label={`${session.staff.name} · ${t('common.language')}`}>
          {session.staff.name}
        </a>
      )}
      <button type="button" lang={lang === 'zh-CN' ? 'en' : 'zh-CN'} onClick={() => setLang(lang === 'zh-CN' ? 'en' : 'zh-CN')}>
        {t('common.switchLanguage')}
      </button>
    </header>
  );
}
