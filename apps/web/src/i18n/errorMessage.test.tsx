import { ErrorCode } from '@toonbank/shared';
import { ApiError } from '../api/ApiError';
import { createI18n, type Language } from '.';
import { conflictBecause, errorMessage } from './errorMessage';

/**
 * Every code an answer of the API can carry, in the user's words, in both languages. The
 * table is the specification: a new code without a row here (or without a text) fails.
 * `reply.not_retryable` is the retry refusal of issue 14 (409 when a failed reply may have
 * reached the channel after all).
 */
const TEXTS: Record<string, Record<Language, string>> = {
  'validation.failed': {
    nl: 'De invoer is niet geldig. Pas die aan en probeer het opnieuw.',
    en: 'The input is not valid. Correct it and try again.',
  },
  'auth.unauthenticated': {
    nl: 'Je sessie is verlopen. Log opnieuw in; er is niets gewijzigd.',
    en: 'Your session has expired. Sign in again; nothing was changed.',
  },
  'auth.invalid_credentials': {
    nl: 'Dit e-mailadres en wachtwoord horen niet bij elkaar.',
    en: 'That e-mail address and password do not match.',
  },
  'policy.forbidden': {
    nl: 'Je rol mag dit niet doen. Er is niets gewijzigd.',
    en: 'Your role may not do this. Nothing was changed.',
  },
  'policy.not_eligible': {
    nl: 'Je mag op het huidige volwassenheidsniveau niet antwoorden.',
    en: 'You may not respond at the current maturity level.',
  },
  'policy.template_required': {
    nl: 'Op dit niveau antwoord je met een goedgekeurd sjabloon. Er is niets verstuurd.',
    en: 'At this level you reply with an approved template. Nothing was sent.',
  },
  not_found: {
    nl: 'Dit bestaat niet (meer): misschien heeft iemand het net verwijderd.',
    en: 'This does not exist (any more): someone may just have deleted it.',
  },
  conflict: {
    nl: 'Niet gelukt: dit is intussen veranderd, misschien door een collega. Er is niets gewijzigd; je ziet nu de actuele stand.',
    en: 'That did not work: this changed in the meantime, perhaps by a colleague. Nothing was changed; you now see the current state.',
  },
  'assignment.not_eligible': {
    nl: 'Deze collega mag nu geen gesprekken krijgen (niet actief of niet bevoegd). Het gesprek is niet toegewezen.',
    en: 'This colleague may not be given conversations right now (inactive or not allowed). The conversation was not assigned.',
  },
  'tone.violations': {
    nl: 'De tekst past niet bij de tone of voice. Pas de gemarkeerde stukken aan.',
    en: 'The text does not match the tone of voice. Change the marked parts.',
  },
  'channel.credentials_invalid': {
    nl: 'Het kanaal heeft de inloggegevens geweigerd. Controleer ze; het kanaal is niet opgeslagen.',
    en: 'The channel refused the credentials. Check them; the channel was not saved.',
  },
  'reply.in_reply_to_invalid': {
    nl: 'Op dat bericht kan vanuit dit gesprek niet worden geantwoord.',
    en: 'That message cannot be answered from this conversation.',
  },
  'reply.not_retryable': {
    nl: 'Niet opnieuw verstuurd: dit antwoord is misschien toch op het kanaal geplaatst. Kijk eerst op het kanaal.',
    en: 'Not sent again: this reply may have reached the channel after all. Check the channel first.',
  },
  'quarantine.unstorable': {
    nl: 'Dit bericht kan nog steeds niet worden opgeslagen.',
    en: 'This item still cannot be stored.',
  },
  rate_limited: {
    nl: 'Te veel verzoeken. Wacht even en probeer het opnieuw.',
    en: 'Too many requests. Wait a moment and try again.',
  },
  payload_too_large: {
    nl: 'Het verzoek is te groot. Maak de tekst of het bestand kleiner.',
    en: 'The request is too large. Make the text or file smaller.',
  },
  'request.refused': {
    nl: 'Dit verzoek kan niet worden verwerkt. Er is niets gewijzigd.',
    en: 'This request cannot be handled. Nothing was changed.',
  },
  unavailable: {
    nl: 'Toonbank is niet bereikbaar. Controleer je verbinding en probeer het opnieuw.',
    en: 'Toonbank cannot be reached. Check your connection and try again.',
  },
  'service.unavailable': {
    nl: 'Dit kan nu niet: een deel van Toonbank is onbereikbaar. Probeer het later opnieuw.',
    en: 'This is not possible right now: a part of Toonbank is down. Try again later.',
  },
  internal: {
    nl: 'Er ging iets mis aan onze kant. Probeer het opnieuw.',
    en: 'Something went wrong on our side. Please try again.',
  },
};

const CODES = [...new Set<string>([...Object.values(ErrorCode), 'reply.not_retryable'])].sort();
const LANGUAGES: Language[] = ['nl', 'en'];

const translator = (language: Language) => {
  const i18n = createI18n(null);
  void i18n.changeLanguage(language);
  return i18n.t;
};

const refusal = (code: string, statusCode = 409, retryAfterSeconds?: number) =>
  new ApiError(
    { statusCode, code: code as ErrorCode, message: 'the server’s own words' },
    retryAfterSeconds,
  );

describe('errorMessage', () => {
  it('has a row for every code of the contract, and no other', () => {
    expect(Object.keys(TEXTS).sort()).toEqual(CODES);
  });

  describe.each(LANGUAGES)('in %s', (language) => {
    const t = translator(language);

    it.each(CODES)('%s has its own words', (code) => {
      expect(errorMessage(t, refusal(code))).toBe(TEXTS[code]![language]);
    });

    it('no two codes share a text (each refusal says what happened)', () => {
      const texts = CODES.map((code) => errorMessage(t, refusal(code)));
      expect(new Set(texts).size).toBe(CODES.length);
    });

    it('a `conflict:<reason>` override speaks only for a conflict with that details.reason', () => {
      const because = (reason?: string) =>
        new ApiError({
          statusCode: 409,
          code: ErrorCode.Conflict,
          message: 'm',
          ...(reason ? { details: { reason } } : {}),
        });
      const overrides = { [conflictBecause('last_admin')]: 'last admin' };
      expect(errorMessage(t, because('last_admin'), overrides)).toBe('last admin');
      expect(errorMessage(t, because('name_taken'), overrides)).toBe(TEXTS.conflict![language]);
      expect(errorMessage(t, because(), overrides)).toBe(TEXTS.conflict![language]);
    });

    it('anything that is not an answer of the API is "internal"', () => {
      expect(errorMessage(t, new TypeError('Failed to fetch'))).toBe(TEXTS.internal![language]);
      expect(errorMessage(t, undefined)).toBe(TEXTS.internal![language]);
    });

    it('a 429 says how long to wait when the server said so', () => {
      const text = errorMessage(t, refusal(ErrorCode.RateLimited, 429, 30));
      expect(text).toBe(
        language === 'nl'
          ? 'Te veel verzoeken. Probeer het over 30 seconden opnieuw.'
          : 'Too many requests. Try again in 30 seconds.',
      );
      expect(errorMessage(t, refusal(ErrorCode.RateLimited, 429, 1))).toMatch(
        language === 'nl' ? /over 1 seconde opnieuw/ : /in 1 second\./,
      );
    });

    it('a screen that knows more says it instead, for that code only', () => {
      const overrides = { [ErrorCode.Conflict]: 'Het niveau is intussen 2.' };
      expect(errorMessage(t, refusal(ErrorCode.Conflict), overrides)).toBe(
        'Het niveau is intussen 2.',
      );
      expect(errorMessage(t, refusal(ErrorCode.NotFound, 404), overrides)).toBe(
        TEXTS.not_found![language],
      );
    });
  });
});
