import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { AuditLog } from './audit/AuditLog';
import { ChannelsAdmin } from './channels/ChannelsAdmin';
import { MaturityControl } from './MaturityControl';
import { PolicyTable } from './PolicyTable';
import { QueueDashboardLink } from './queues/QueueDashboardLink';
import { TemplatesAdmin } from './tone/TemplatesAdmin';
import { ToneProfileAdmin } from './tone/ToneProfileAdmin';
import { UsersAdmin } from './users/UsersAdmin';

function MaturityAndPolicy() {
  return (
    <>
      <MaturityControl />
      <PolicyTable />
    </>
  );
}

/** The admin's sections, one at a time (`?section=`), the maturity level first. */
export const ADMIN_SECTIONS = [
  { id: 'maturity', title: 'maturity.label', Section: MaturityAndPolicy },
  { id: 'users', title: 'adminUsers.title', Section: UsersAdmin },
  { id: 'channels', title: 'adminChannels.title', Section: ChannelsAdmin },
  { id: 'tone', title: 'adminTone.title', Section: ToneProfileAdmin },
  { id: 'templates', title: 'adminTemplates.title', Section: TemplatesAdmin },
  { id: 'audit', title: 'adminAudit.title', Section: AuditLog },
  { id: 'queues', title: 'adminQueues.title', Section: QueueDashboardLink },
] as const satisfies readonly { id: string; title: string; Section: ComponentType }[];

/** The admin's screen: maturity level and policy, people, channels, tone of voice, templates, audit, queues. */
export function AdminPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('nav.admin'));
  const [params, setParams] = useSearchParams();
  const current = ADMIN_SECTIONS.find((s) => s.id === params.get('section')) ?? ADMIN_SECTIONS[0];
  return (
    <section className="page page-wide" aria-labelledby="admin-title">
      <h1 id="admin-title">{t('nav.admin')}</h1>
      <div role="tablist" aria-label={t('nav.admin')} className="tabs admin-tabs">
        {ADMIN_SECTIONS.map((section) => (
          <button
            key={section.id}
            type="button"
            role="tab"
            aria-selected={section.id === current.id}
            className={section.id === current.id ? 'tab tab-active' : 'tab'}
            onClick={() => setParams({ section: section.id })}
          >
            {t(section.title)}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={t(current.title)}>
        <current.Section />
      </div>
    </section>
  );
}
