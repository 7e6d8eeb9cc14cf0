/**
 * A crawler over every view of the console (as administrator and as clerk,
 * with data: a resident with evidence, a card, audit entries), the portal,
 * the verifier and the public pages, in each of the five languages. It fails
 * on any text a person would see (or hear: screen-reader text, labels,
 * options, placeholders) that is a raw i18n key, a code (document types,
 * audit actions, roles, problem codes, JSON-pointer field paths), or — for a
 * language other than English — an English sentence of the en locale files,
 * verbatim. Text inside an element marked with another `lang` (a language
 * named in itself, a partner's text only in English) is not the page's
 * language and is left out of the English check.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEMS } from '../../src/errors/catalogue.js';
import { STRINGS as OFFERS } from '../../src/web/offers/strings.js';
import { STRINGS as EVENTS } from '../../src/web/events/strings.js';
import { TABLES as APPOINTMENTS } from '../../src/web/appointments/strings.js';
import { STRINGS as NETWORK } from '../../src/web/network/strings.js';
import { createTestApp, TEST_PASSWORD, type TestContext } from '../helpers/app.js';
import { enrol, issue, REFERENCE_RESIDENT } from '../helpers/cards.js';
import { launch, listen } from './pages-helpers.js';

const LANGS = ['en', 'fr', 'es', 'pt', 'ar'] as const;
type Lang = (typeof LANGS)[number];
const LOCALES = join(process.cwd(), 'src', 'i18n', 'locales');
const PIN = '824613';

/** Words that are the same in every language: names of things, not sentences. */
const ALLOW = new Set(['Claim 169', 'PDF', 'QR', 'A4', 'Testville', 'JSON', 'Base45', 'Welcoming Week']);

const flat = (o: Record<string, unknown>, prefix = ''): Array<[string, string]> =>
  Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [[prefix + k, v] as [string, string]] : flat(v as Record<string, unknown>, `${prefix}${k}.`)));

function localeTables(lang: Lang): Array<[string, string]> {
  const files = readdirSync(join(LOCALES, lang)).filter((f) => f.endsWith('.json'));
  const json = files.flatMap((f) => flat(JSON.parse(readFileSync(join(LOCALES, lang, f), 'utf8'))));
  const pages = [OFFERS, EVENTS, APPOINTMENTS, NETWORK].flatMap((s) => Object.entries(s[lang] as Record<string, string>));
  return [...json, ...pages];
}

/** Dotted keys (`resident.title`) of every table: one seen on screen is a string that was never translated. */
const KEYS = new Set(LANGS.flatMap((l) => localeTables(l).map(([k]) => k)).filter((k) => /^[a-zA-Z]+[._][\w.-]+$/.test(k)));

/** The English fragments (between `{{vars}}`) of three words or more, with the keys whose own translation differs. */
function englishSentences(lang: Lang): string[] {
  const own = new Map(localeTables(lang));
  const out = new Set<string>();
  for (const [key, value] of localeTables('en')) {
    if (own.get(key) === value && ALLOW.has(value)) continue;
    for (const part of value.split(/\{\{\w+\}\}/)) {
      const s = part.replace(/[\s:—–·,.;()]+$/u, '').replace(/^[\s:—–·,.;()]+/u, '').trim();
      if (s.split(/\s+/).length >= 3 && s.length >= 14 && !ALLOW.has(s)) out.add(s);
    }
  }
  return [...out];
}

interface Seen {
  text: string[];
  /** The same, but only what is in the page's language (no element with another `lang` around it). */
  ownLanguage: string[];
}

/** Every visible text node, plus labels, placeholders, titles, alt texts and the options of every menu. */
async function visibleText(page: Page): Promise<Seen> {
  return page.evaluate(() => {
    const doc = document.documentElement.lang;
    const text: string[] = [];
    const ownLanguage: string[] = [];
    const inOwn = (el: Element) => {
      const l = el.closest('[lang]')?.getAttribute('lang') ?? doc;
      return l === '' || l.split('-')[0] === doc.split('-')[0];
    };
    const add = (s: string | null | undefined, el: Element) => {
      const v = (s ?? '').replace(/\s+/g, ' ').trim();
      if (!v) return;
      text.push(v);
      if (inOwn(el)) ownLanguage.push(v);
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('script, style, template, option')) continue;
      if (!el.checkVisibility({ checkVisibilityCSS: true }) && !el.closest('.visually-hidden')) continue;
      add(n.textContent, el);
    }
    for (const el of Array.from(document.querySelectorAll('[aria-label], [placeholder], [title], img[alt]'))) {
      if (el instanceof HTMLElement && !el.checkVisibility()) continue;
      for (const a of ['aria-label', 'placeholder', 'title', 'alt']) add(el.getAttribute(a), el);
    }
    for (const o of Array.from(document.querySelectorAll('select option'))) if ((o.closest('select') as HTMLElement).checkVisibility()) add(o.textContent, o);
    return { text, ownLanguage };
  });
}

let t: TestContext;
let base: string;
let browser: Browser;
let card: { number: string; claimCode: string; qr: string };
let documentTypes: string[];
let auditActions: string[];

/** A code shown as such: never readable words for the person in front of the screen. */
function codesIn(lang: Lang, lines: string[]): string[] {
  const codes = new Set([...documentTypes, ...auditActions, 'partner_service', ...Object.keys(PROBLEMS)]);
  const found: string[] = [];
  for (const raw of lines) {
    const line = raw.replace(/https?:\/\/\S+/g, ' ');
    for (const token of line.split(/[\s,;:()«»"“”'’—–·]+/u)) {
      const bare = token.replace(/^[.…]+|[.…!?]+$/g, '');
      if (KEYS.has(bare)) found.push(`key ${bare} in «${raw}»`);
      // A plain-word id (`passport`) is an English word too: wrong only outside English.
      if (codes.has(bare) && (/[-_.]/.test(bare) || lang !== 'en')) found.push(`code ${bare} in «${raw}»`);
      if (/^\/?[a-zA-Z]\w*(\/[\w]+)+$/.test(bare)) found.push(`field path ${bare} in «${raw}»`);
    }
    // "record(s)": a plural the translator should have chosen.
    if (/\w\((s|es|x)\)/.test(line)) found.push(`unchosen plural in «${raw}»`);
  }
  return found;
}

function englishIn(lang: Lang, lines: string[]): string[] {
  if (lang === 'en') return [];
  const all = lines.join('\n');
  return englishSentences(lang).filter((s) => all.includes(s)).map((s) => `English «${s}»`);
}

/** In Arabic, a left-to-right value (a card number) sits in its own direction run: a <bdi> or an element with `dir`. */
async function unisolated(page: Page, value: string): Promise<string[]> {
  return page.evaluate((v) => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement!;
      if (n.textContent?.includes(v) && el.checkVisibility() && !el.closest('bdi, [dir], input, textarea')) out.push(`${v} not isolated in «${el.textContent}»`);
    }
    return out;
  }, value);
}

const problems: string[] = [];
async function check(page: Page, lang: Lang, where: string) {
  await page.waitForLoadState('networkidle');
  const seen = await visibleText(page);
  const mixed = lang === 'ar' ? await unisolated(page, card.number) : [];
  for (const p of new Set([...codesIn(lang, seen.text), ...englishIn(lang, seen.ownLanguage), ...mixed])) problems.push(`[${lang}] ${where}: ${p}`);
}

beforeAll(async () => {
  t = await createTestApp();
  base = await listen(t);
  browser = await launch();
  const id = await enrol(t, { ...REFERENCE_RESIDENT, evidence: [{ type: 'passport' }, { type: 'utility-bill' }, { type: 'shelter-letter' }] });
  card = await issue(t, id);
  await t.app.inject({ method: 'GET', url: `/v1/residents/${id}`, headers: t.auth('clerk') });
  const claimed = await t.app.inject({ method: 'POST', url: '/v1/self/claim', payload: { number: card.number, claimCode: card.claimCode, pin: PIN } });
  expect(claimed.statusCode).toBe(200);
  const rules = (await t.app.inject({ method: 'GET', url: '/v1/evidence-rules', headers: t.auth('clerk') })).json() as { documents: Array<{ type: string }> };
  documentTypes = rules.documents.map((d) => d.type);
  const audit = (await t.app.inject({ method: 'GET', url: '/v1/audit?limit=200', headers: t.auth('admin') })).json() as { items: Array<{ action: string }> };
  auditActions = [...new Set(audit.items.map((e) => e.action))];
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function signIn(page: Page, username: string) {
  await page.goto(`${base}/console`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(TEST_PASSWORD);
  await page.locator('input[name="password"]').press('Enter');
  await page.locator('nav button').first().waitFor();
}

const tab = (page: Page, n: number) => page.locator('nav button').nth(n).click();

async function crawl(lang: Lang, ctx: BrowserContext) {
  const page = await ctx.newPage();
  // --- Console as administrator: every tab.
  await page.goto(`${base}/console`);
  await check(page, lang, 'console sign-in');
  await signIn(page, 'admin');
  const tabs = await page.locator('nav button').count();
  for (let i = 0; i < tabs; i++) {
    await tab(page, i);
    await page.locator('main h1').waitFor();
    await check(page, lang, `console admin tab ${i + 1}`);
  }
  // The audit log's chain check.
  await page.locator('nav button', { hasText: new Map(localeTables(lang)).get('nav.audit')! }).click();
  await page.locator('main .row button.primary').click();
  await page.locator('main .notice').waitFor();
  await check(page, lang, 'console audit chain');
  await page.locator('header button').last().click(); // sign out
  await page.locator('input[name="username"]').waitFor();

  // --- Console as clerk: search with results, the record with evidence and a card, enrolment and its errors.
  await signIn(page, 'clerk');
  await check(page, lang, 'console search');
  await page.locator('input[name="q"]').fill('Maria');
  await page.locator('input[name="q"]').press('Enter');
  await page.locator('main tbody tr').first().waitFor();
  await check(page, lang, 'console search results');
  await page.locator('main tbody tr button').first().click();
  await page.locator('#cards-h').waitFor();
  await check(page, lang, 'console resident');
  // A fresh claim code and its receipt (the slip, in the resident's language, and the words around it).
  const words = new Map(localeTables(lang));
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: words.get('claim.new')! }).click();
  await page.locator('#receipt').waitFor();
  await check(page, lang, 'console receipt');
  await tab(page, 1);
  await page.locator('input[name="printed"]').waitFor();
  await check(page, lang, 'console enrol');
  // Every language in the "languages spoken" list has a name here (Chromium's trimmed ICU lacks some: one would show as its code).
  const unnamed = await page.locator('input[name="languages"]').evaluateAll((boxes) =>
    boxes.map((b) => [(b as HTMLInputElement).value, document.querySelector(`label[for="${b.id}"]`)?.firstChild?.textContent ?? ''] as const).filter(([tag, name]) => name.trim() === tag || name.trim() === ''),
  );
  for (const [tag] of unnamed) problems.push(`[${lang}] console enrol: language ${tag} has no name`);
  if (lang === 'en') {
    // One point is a point: the plural form comes from the language's rules.
    await page.locator('input[name="evidence"][value="utility-bill"]').check();
    await page.getByText('1 residency point', { exact: false }).first().waitFor();
    await page.getByText('Residency: 1 of 1 point ✓').waitFor();
    expect(await page.locator('main').textContent()).not.toMatch(/\b1 (identity |residency )?points/);
  }
  // Well formed for the page, refused by the server: the answer names the field in words.
  await page.locator('input[name="printed"]').fill('Ana Lima');
  await page.locator('input[name="birthDate"]').fill('2024-13-45');
  await page.locator('main button[type="submit"]').click();
  await page.locator('main .error').waitFor();
  await check(page, lang, 'console enrol refused');
  await page.close();

  // --- Portal: the start page, then the holder's home.
  const me = await ctx.newPage();
  await me.goto(`${base}/me`);
  await me.locator('input[name="claim-number"]').waitFor();
  await check(me, lang, 'portal start');
  await me.locator('input[name="login-number"]').fill(card.number);
  await me.locator('input[name="pin"]').fill(PIN);
  await me.locator('input[name="pin"]').press('Enter');
  await me.locator('#data-h').waitFor();
  await check(me, lang, 'portal home');
  await me.close();

  // --- Verifier: empty, a valid card, a card that is not one.
  const v = await ctx.newPage();
  await v.goto(`${base}/verify`);
  await check(v, lang, 'verifier');
  await v.goto(`${base}/verify#${encodeURIComponent(card.qr)}`);
  await v.locator('#result').filter({ hasText: card.number.slice(0, 4) }).or(v.locator('#result [class*="ok"], #result .verdict')).first().waitFor();
  await check(v, lang, 'verifier result');
  // Text that is no card at all, then an official signed in: the result with the photo.
  await v.locator('#qr-text').fill('HELLO WORLD');
  await v.locator('#paste button[type="submit"]').click();
  await v.locator('#result').filter({ hasText: /\S/ }).waitFor();
  await check(v, lang, 'verifier not a card');
  await v.locator('#signin-box summary').click();
  await v.locator('#signin-user').fill('official');
  await v.locator('#signin-pass').fill(TEST_PASSWORD);
  await v.locator('#signin-submit').click();
  // Signed in once the session line shows; a check pasted before that is the offline one, without the photo.
  await v.locator('#session').waitFor();
  await v.locator('#qr-text').fill(card.qr);
  await v.locator('#paste button[type="submit"]').click();
  await v.locator('#result img').waitFor();
  await check(v, lang, 'verifier signed in');
  await v.close();

  // --- Public pages.
  for (const path of ['/offers', '/events', '/appointments', '/network']) {
    const p = await ctx.newPage();
    await p.goto(`${base}${path}`);
    await p.locator('h1').first().waitFor();
    await check(p, lang, path);
    await p.close();
  }
}

describe('no code, key or English leaks into any language', () => {
  it('the locale files name each key once (JSON keeps the last of two, silently)', () => {
    const twice: string[] = [];
    for (const lang of LANGS) {
      for (const f of readdirSync(join(LOCALES, lang)).filter((x) => x.endsWith('.json'))) {
        const keys = [...readFileSync(join(LOCALES, lang, f), 'utf8').matchAll(/^\s*"([^"]+)"\s*:/gm)].map((m) => m[1]);
        for (const k of new Set(keys)) if (keys.filter((x) => x === k).length > 1) twice.push(`${lang}/${f}: ${k}`);
      }
    }
    expect(twice).toEqual([]);
  });

  it.each(LANGS)('every view in %s', async (lang) => {
    const ctx = await browser.newContext({ locale: lang, viewport: { width: 1280, height: 900 } });
    const before = problems.length;
    try {
      await crawl(lang, ctx);
    } finally {
      await ctx.close();
    }
    expect(problems.slice(before)).toEqual([]);
  }, 180_000);
});
