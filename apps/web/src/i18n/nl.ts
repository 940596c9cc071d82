/** Dutch: the default language. `en.ts` must have exactly the same keys (checked by its type). */
export const nl = {
  app: {
    name: 'Toonbank',
    tagline: 'Webcare in één inbox, in één toon',
    skipToContent: 'Naar de inhoud',
    loading: 'Laden…',
    restoringSession: 'Sessie herstellen…',
  },
  language: {
    label: 'Taal',
    nl: 'Nederlands',
    en: 'English',
  },
  login: {
    title: 'Inloggen',
    intro: 'Log in met het e-mailadres en wachtwoord van je Toonbank-account.',
    email: 'E-mailadres',
    password: 'Wachtwoord',
    submit: 'Inloggen',
    submitting: 'Bezig met inloggen…',
    invalidCredentials:
      'Dit e-mailadres en wachtwoord horen niet bij elkaar. Controleer ze en probeer het opnieuw.',
    rateLimited: 'Te veel mislukte pogingen. Wacht even en probeer het dan opnieuw.',
    rateLimitedRetry_one: 'Te veel mislukte pogingen. Probeer het over {{count}} minuut opnieuw.',
    rateLimitedRetry_other:
      'Te veel mislukte pogingen. Probeer het over {{count}} minuten opnieuw.',
    demo: {
      title: 'Demo-accounts',
      password: 'Wachtwoord voor elk demo-account: {{password}}',
      use: 'Vul {{email}} in ({{role}})',
    },
  },
  roles: {
    admin: 'Beheerder',
    team_lead: 'Teamleider',
    agent: 'Klantcontactmedewerker',
    communications: 'Communicatieadviseur',
    employee: 'Medewerker',
  },
  maturity: {
    label: 'Volwassenheidsniveau',
    badge: 'Niveau {{level}} · {{name}}',
    names: {
      pioneer: 'Pionier',
      growing: 'Groeiend',
      mature: 'Volwassen',
    },
  },
  shell: {
    user: 'Ingelogd als {{name}}, {{role}}',
    logout: 'Uitloggen',
    loggingOut: 'Uitloggen…',
    mainNavigation: 'Hoofdmenu',
  },
  availability: {
    label: 'Beschikbaar',
    on: 'aan',
    off: 'uit',
    failed: 'Je beschikbaarheid kon niet worden gewijzigd. Probeer het opnieuw.',
  },
  nav: {
    home: 'Start',
    inbox: 'Inbox',
    board: 'Bord',
    admin: 'Beheer',
    reports: 'Rapportages',
  },
  home: {
    title: 'Welkom',
    signedInAs: 'Ingelogd als {{name}} ({{email}})',
    role: 'Rol: {{role}}',
    eligible: 'Je mag klanten antwoorden op het huidige volwassenheidsniveau.',
    notEligible:
      'Je mag klanten nog niet antwoorden op het huidige volwassenheidsniveau. Je kunt wel meelezen waar je rol dat toestaat.',
  },
  placeholder: {
    comingSoon: 'Dit scherm komt eraan.',
    inbox:
      'Hier verschijnen straks de gesprekken van je organisatie, met de wachtrij en de composer.',
    board: 'Hier verdeel je straks gesprekken over het team en keur je antwoorden goed.',
    admin:
      'Hier beheer je straks de organisatie, het volwassenheidsniveau, mensen, kanalen en de tone of voice.',
    reports: 'Hier vind je straks reactietijden, volumes en SLA-prestaties.',
  },
  forbidden: {
    title: 'Geen toegang',
    description: 'Je rol geeft geen toegang tot dit scherm.',
    backHome: 'Terug naar start',
  },
  notFound: {
    title: 'Pagina niet gevonden',
    description: 'Deze pagina bestaat niet.',
    backHome: 'Terug naar start',
  },
  errors: {
    validation: { failed: 'De invoer is niet geldig.' },
    auth: {
      unauthenticated: 'Je sessie is verlopen. Log opnieuw in.',
      invalid_credentials: 'Dit e-mailadres en wachtwoord horen niet bij elkaar.',
    },
    policy: {
      forbidden: 'Je rol mag dit niet doen.',
      not_eligible: 'Je mag op het huidige volwassenheidsniveau niet antwoorden.',
      template_required: 'Op dit niveau moet je een goedgekeurde sjabloon gebruiken.',
    },
    not_found: 'Niet gevonden.',
    conflict: 'Dit kan niet in de huidige toestand.',
    assignment: { not_eligible: 'Deze collega mag nu geen gesprekken krijgen.' },
    tone: { violations: 'De tekst past niet bij de tone of voice.' },
    channel: { credentials_invalid: 'Het kanaal heeft de inloggegevens geweigerd.' },
    rate_limited: 'Te veel verzoeken. Wacht even en probeer het opnieuw.',
    request: { refused: 'Dit verzoek kan niet worden verwerkt.' },
    payload_too_large: 'Het verzoek is te groot.',
    unavailable: 'Toonbank is niet bereikbaar. Controleer je verbinding en probeer het opnieuw.',
    internal: 'Er ging iets mis. Probeer het later opnieuw.',
  },
};
