import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Page,
  type PageScreenshotOptions,
} from 'playwright-core';
import type { DataSource } from 'typeorm';
import { en } from '../../apps/web/src/i18n/en';
import { nl } from '../../apps/web/src/i18n/nl';
import type { Translation } from '../../apps/web/src/i18n/types';
import { assertBuilt, startBuiltStack, ROOT, type BuiltStack } from './built-stack';
import { closeTestDatabase, testDatabase } from './database';
import { TEST_PASSWORD } from './factories';

/* eslint-disable @typescript-eslint/no-require-imports */
const { chromiumPath, chromiumMissingMessage } = require('../../scripts/lib/chromium.cjs') as {
  chromiumPath: () => string;
  chromiumMissingMessage: (file?: string) => string;
};
const { isExecutable } = require('../../scripts/lib/util.cjs') as {
  isExecutable: (file: string) => boolean;
};

/** The web app's own texts, so that selectors follow the translations (`TEXTS.nl.login.email`). */
export const TEXTS: Record<'nl' | 'en', Translation> = { nl, en };

export const VIEWPORT = { width: 1280, height: 800 };
/** The widths the issue 14 checks use: a desktop and a phone (touch, as a phone has). */
export const DESKTOP = { viewport: { width: 1440, height: 900 } } as const;
export const PHONE = {
  viewport: { width: 390, height: 844 },
  hasTouch: true,
  isMobile: true,
} as const;

export interface PageOptions {
  viewport?: { width: number; height: number };
  /** The browser's locale (navigator.language, Intl's default); the UI's language is the app's. */
  locale?: string;
  hasTouch?: boolean;
  isMobile?: boolean;
}
export const SCREENSHOT_DIR = join(ROOT, 'docs', 'screenshots');
/** How long one Playwright action or wait may take before it fails with its own message. */
const ACTION_TIMEOUT_MS = 10_000;

/**
 * Debian's Chromium, headless, as root on this kind of machine: no sandbox, no GPU, and none of
 * the background connections that a closed network refuses. Playwright gives every launch a
 * fresh, empty profile (its own --user-data-dir). Fails with what to install when it is missing.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!isExecutable(executablePath)) throw new Error(chromiumMissingMessage(executablePath));
  return chromium.launch({
    executablePath,
    headless: true,
    chromiumSandbox: false,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Signs in through the real login page, in whichever language it shows; resolves once the
 * authenticated shell is there, and fails with the page's own message when it refuses.
 */
export async function signIn(page: Page, email: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel(inAnyLanguage((t) => t.login.email)).fill(email);
  await page.getByLabel(inAnyLanguage((t) => t.login.password)).fill(password);
  await page.getByRole('button', { name: inAnyLanguage((t) => t.login.submit) }).click();
  const shell = page.getByRole('button', { name: inAnyLanguage((t) => t.shell.logout) });
  const refusal = page.getByRole('alert').filter({ hasText: /\S/ });
  await shell.or(refusal).first().waitFor();
  if (await refusal.isVisible())
    throw new Error(`Signing in as ${email} failed: ${await refusal.innerText()}`);
}

/**
 * Saves the page as docs/screenshots/<name>.png, at the viewport's size. `mask` covers what
 * changes on every run (a unique e-mail address), so that the picture stays the same.
 */
export async function screenshot(
  page: Page,
  name: string,
  { mask }: Pick<PageScreenshotOptions, 'mask'> = {},
): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, animations: 'disabled', mask, maskColor: '#d9dee4' });
  return path;
}

/** `text` as a regular expression that matches it literally. */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One text in every language, matched exactly: a control's name whatever the page's language. */
export function inAnyLanguage(pick: (texts: Translation) => string): RegExp {
  return new RegExp(`^(${Object.values(TEXTS).map(pick).map(escapeRegExp).join('|')})$`);
}

export interface BrowserSuite {
  /** The built api + worker this suite's pages talk to. */
  readonly stack: BuiltStack;
  /** The test database (shared by every suite: create an organisation of your own). */
  readonly db: DataSource;
  readonly browser: Browser;
  /**
   * A page in a fresh browser context (no storage, signed out), 1280x800, nl-NL unless
   * `options` say otherwise (PHONE, DESKTOP, an `en-US` browser), with the stack as base URL.
   * Uncaught errors in the page are collected in `pageErrors`.
   */
  newPage(options?: PageOptions): Promise<Page>;
  /** Uncaught exceptions thrown in any page of this suite, in order. */
  readonly pageErrors: Error[];
}

/**
 * Registers beforeAll/afterAll for a browser suite: the built stack (see startBuiltStack) on a
 * Redis prefix named after `name`, and Chromium. Everything is closed in afterAll, also when
 * the start failed half way. `npm run build` must have run.
 */
export function useBrowserSuite(name: string, env: Record<string, string> = {}): BrowserSuite {
  let stack: BuiltStack | undefined;
  let db: DataSource | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: Error[] = [];
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not there: beforeAll failed`);
    return value;
  };

  beforeAll(async () => {
    // The cheap checks first: no build or no Chromium says so before the stack starts.
    assertBuilt();
    browser = await launchChromium();
    db = await testDatabase();
    stack = await startBuiltStack(`browser-${name}`, env);
  }, 60_000);

  afterAll(async () => {
    const problems: unknown[] = [];
    const attempt = async (step: () => Promise<unknown> | undefined) => {
      try {
        await step();
      } catch (error) {
        problems.push(error);
      }
    };
    for (const context of contexts) await attempt(() => context.close());
    await attempt(() => browser?.close());
    await attempt(() => stack?.stop());
    await attempt(() => closeTestDatabase());
    if (problems.length > 0) throw problems[0];
  }, 30_000);

  return {
    get stack() {
      return ready(stack, 'The built stack');
    },
    get db() {
      return ready(db, 'The test database');
    },
    get browser() {
      return ready(browser, 'Chromium');
    },
    pageErrors,
    async newPage(options: PageOptions = {}) {
      const context = await ready(browser, 'Chromium').newContext({
        baseURL: ready(stack, 'The built stack').url,
        viewport: VIEWPORT,
        locale: 'nl-NL',
        timezoneId: 'Europe/Amsterdam',
        ...options,
      });
      contexts.push(context);
      context.setDefaultTimeout(ACTION_TIMEOUT_MS);
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error));
      return page;
    },
  };
}
