import type { Translation } from './types';

export const en: Translation = {
  app: {
    name: 'Toonbank',
    tagline: 'Webcare in one inbox, in one voice',
    skipToContent: 'Skip to content',
    loading: 'Loading…',
    restoringSession: 'Restoring your session…',
  },
  language: {
    label: 'Language',
    nl: 'Nederlands',
    en: 'English',
  },
  login: {
    title: 'Sign in',
    intro: 'Sign in with the e-mail address and password of your Toonbank account.',
    email: 'E-mail address',
    password: 'Password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    invalidCredentials: 'That e-mail address and password do not match. Check them and try again.',
    rateLimited: 'Too many failed attempts. Wait a while, then try again.',
    rateLimitedRetry_one: 'Too many failed attempts. Try again in {{count}} minute.',
    rateLimitedRetry_other: 'Too many failed attempts. Try again in {{count}} minutes.',
    demo: {
      title: 'Demo accounts',
      password: 'Password for every demo account: {{password}}',
      use: 'Fill in {{email}} ({{role}})',
    },
  },
  roles: {
    admin: 'Admin',
    team_lead: 'Team lead',
    agent: 'Agent',
    communications: 'Communications officer',
    employee: 'Employee',
  },
  maturity: {
    label: 'Maturity level',
    badge: 'Level {{level}} · {{name}}',
    names: {
      pioneer: 'Pioneer',
      growing: 'Growing',
      mature: 'Mature',
    },
  },
  shell: {
    user: 'Signed in as {{name}}, {{role}}',
    logout: 'Sign out',
    loggingOut: 'Signing out…',
    mainNavigation: 'Main navigation',
  },
  availability: {
    label: 'Available',
    on: 'on',
    off: 'off',
    failed: 'Your availability could not be changed. Please try again.',
  },
  nav: {
    home: 'Home',
    inbox: 'Inbox',
    board: 'Board',
    admin: 'Admin',
    reports: 'Reports',
  },
  home: {
    title: 'Welcome',
    signedInAs: 'Signed in as {{name}} ({{email}})',
    role: 'Role: {{role}}',
    eligible: 'You may respond to customers at the current maturity level.',
    notEligible:
      'You may not respond to customers at the current maturity level yet. You can still read along where your role allows it.',
  },
  placeholder: {
    comingSoon: 'This screen is coming.',
    inbox: "Your organisation's conversations will appear here, with the queue and the composer.",
    board: 'Here you will assign conversations to the team and approve replies.',
    admin:
      'Here you will manage the organisation, its maturity level, people, channels and tone of voice.',
    reports: 'Response times, volumes and SLA performance will appear here.',
  },
  forbidden: {
    title: 'No access',
    description: 'Your role does not give access to this screen.',
    backHome: 'Back to home',
  },
  notFound: {
    title: 'Page not found',
    description: 'This page does not exist.',
    backHome: 'Back to home',
  },
  errors: {
    validation: { failed: 'The input is not valid.' },
    auth: {
      unauthenticated: 'Your session has expired. Please sign in again.',
      invalid_credentials: 'That e-mail address and password do not match.',
    },
    policy: {
      forbidden: 'Your role may not do this.',
      not_eligible: 'You may not respond at the current maturity level.',
      template_required: 'At this level you must use an approved template.',
    },
    not_found: 'Not found.',
    conflict: 'This is not possible in the current state.',
    assignment: { not_eligible: 'This colleague may not be given conversations right now.' },
    tone: { violations: 'The text does not match the tone of voice.' },
    channel: { credentials_invalid: 'The channel refused the credentials.' },
    rate_limited: 'Too many requests. Wait a moment and try again.',
    request: { refused: 'This request cannot be handled.' },
    payload_too_large: 'The request is too large.',
    unavailable: 'Toonbank cannot be reached. Check your connection and try again.',
    internal: 'Something went wrong. Please try again later.',
  },
};
