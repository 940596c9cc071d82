import { render, screen } from '@testing-library/react';
import type { MessageDto } from '@toonbank/shared';
import { I18nextProvider } from 'react-i18next';
import { createI18n } from '../i18n';
import { Thread } from './Thread';

const AT = new Date(2026, 11, 7, 10, 39).toISOString();

const message: MessageDto = {
  id: '00000000-0000-4000-8000-00000000a001',
  direction: 'inbound',
  externalId: null,
  text: 'Waar blijft mijn pakket?',
  authorUserId: null,
  authorHandle: '@klant',
  createdAt: AT,
  externalUrl: null,
  attachments: [],
};

describe('Thread', () => {
  it.each([
    ['en', 'nl', '7 Dec 2026, 10:39'],
    ['nl', 'en', '7 dec 2026, 10:39'],
  ])(
    'writes times in the UI language (%s), not the document’s lang that may lag (%s)',
    (language, documentLang, expected) => {
      const storage = new Map([['toonbank.language', language]]);
      const i18n = createI18n({
        getItem: (key) => storage.get(key) ?? null,
        setItem: (key, value) => void storage.set(key, value),
      });
      document.documentElement.lang = documentLang;
      render(
        <I18nextProvider i18n={i18n}>
          <Thread messages={[message]} names={new Map()} provider="mastodon" />
        </I18nextProvider>,
      );
      expect(screen.getByText(expected)).toBeInTheDocument();
    },
  );
});
