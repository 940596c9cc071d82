import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** "<page> · Toonbank" in the tab, so screen-reader users hear where they landed. */
export function useDocumentTitle(page: string): void {
  const { t } = useTranslation();
  const appName = t('app.name');
  useEffect(() => {
    document.title = page ? `${page} · ${appName}` : appName;
  }, [page, appName]);
}
