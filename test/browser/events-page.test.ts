/**
 * /events in Chromium at 360 px, in Portuguese and in Arabic (right to left):
 * the programme shows with no account, times in the event's own zone, the
 * calendar view fits the screen, and each event links its .ics.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { createEvent, staffToken } from '../api/events-fixtures.js';
import { axe, launch, listen, screens } from './pages-helpers.js';

let t: TestContext;
let browser: Browser;
let base: string;
beforeAll(async () => {
  t = await createTestApp({ clock: () => new Date('2027-09-01T08:00:00Z'), env: { TIME_ZONE: 'Europe/Paris' } });
  const organiser = await staffToken(t, 'organiser');
  await createEvent(t, organiser, {
    title: { en: 'Cooking together', pt: 'Cozinhar juntos', ar: 'نطبخ معًا', fr: 'Cuisiner ensemble', es: 'Cocinar juntos' },
    description: { en: 'Bring a recipe from home.', pt: 'Traga uma receita de casa.', ar: 'أحضر وصفة من بلدك.' },
    startsAt: '2027-09-20T18:00:00+02:00',
    endsAt: '2027-09-20T21:00:00+02:00',
  });
  await createEvent(t, organiser, { title: { en: 'Testimonies of journeys', pt: 'Depoimentos de percursos', ar: 'شهادات عن رحلات الهجرة' }, category: 'testimonies', rsvp: 'lottery', drawAt: '2027-09-15T10:00:00Z', capacity: 30, access: 'open', startsAt: '2027-09-22T19:30:00+02:00', endsAt: '2027-09-22T21:00:00+02:00' });
  base = await listen(t);
  browser = await launch();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t.close();
});

describe('/events at 360 px', () => {
  it.each([
    ['pt', 'ltr', 'Semana de Acolhimento', 'Cozinhar juntos', 'Depoimentos de percursos', 'Calendário', '18:00', '21:00'],
    ['ar', 'rtl', 'أسبوع الترحيب', 'نطبخ معًا', 'شهادات عن رحلات الهجرة', 'تقويم', '6:00', '9:00'],
  ])('%s: the programme, no account, in the event’s local time; the calendar fits', async (lang, dir, heading, first, second, calendarLabel, time, end) => {
    const context = await browser.newContext({ locale: lang === 'pt' ? 'pt-BR' : 'ar', viewport: { width: 360, height: 740 }, timezoneId: 'America/Sao_Paulo', bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${base}/events`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await page.getByRole('heading', { level: 2, name: first }).waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([lang, dir]);
    expect(await page.getByRole('heading', { level: 2, name: second }).count()).toBe(1);
    // Shown in Paris time though the phone is set to São Paulo: 18:00 (6 p.m. in Arabic's 12-hour clock), not 13:00.
    const whenText = await page.locator('.event .when').first().textContent();
    expect(whenText).toContain(time);
    expect(whenText).toContain(end);
    expect(whenText).not.toMatch(/\b1:00|13:00/);
    const ics = await page.locator('.event a[href$=".ics?lang=' + lang + '"]').first().getAttribute('href');
    expect((await t.app.inject(ics!)).statusCode).toBe(200);
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    if (dir === 'rtl') {
      const box = await page.locator('.event h2').first().boundingBox();
      const text = await page.locator('.event h2').first().evaluate((el) => getComputedStyle(el).direction);
      expect(text).toBe('rtl');
      expect(box!.x + box!.width).toBeGreaterThan(300);
    }
    await screens(page, `events-list-${lang}`);
    await page.setViewportSize({ width: 360, height: 740 });

    await page.getByRole('button', { name: calendarLabel }).click();
    await page.locator('.grid').first().waitFor();
    expect(await page.locator('.grid .day a').count()).toBe(2);
    expect(await page.locator('.grid .day a').first().textContent()).toBe(first);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screens(page, `events-calendar-${lang}`);
    await page.setViewportSize({ width: 360, height: 740 });
    const { violations } = await axe(page);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), JSON.stringify(violations)).toEqual([]);
    await context.close();
  });
});
