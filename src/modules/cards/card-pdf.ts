/**
 * Card PDFs: pdfkit, fonts and theme are loaded on the first request (not at
 * start, so a service that never prints starts fast and stays small) and
 * reused for every card.
 */
import type { i18n } from 'i18next';
import type { CardRenderer, CardTheme } from '../../pdf/index.js';
import { formatCardNumber, type CardClaims } from '../../credential/index.js';
import type { Language } from '../../i18n/languages.js';
import type { CardSubject } from './card-subject.js';
import { loadRoadData, type RoadData } from '../../pdf/road-texts.js';

export interface CardPdfOptions {
  city: { id: string; name: string };
  officialLanguage: Language;
  i18n?: i18n;
  themeDir?: string;
}

export function createCardPdf(opts: CardPdfOptions) {
  let ready: Promise<{ renderer: CardRenderer; theme: CardTheme }> | undefined;
  let road: RoadData | undefined;
  const load = () =>
    (ready ??= import('../../pdf/index.js').then(({ createCardRenderer, loadTheme }) =>
      Promise.all([createCardRenderer({ i18n: opts.i18n }), loadTheme(opts.themeDir)]).then(([renderer, theme]) => ({ renderer, theme })),
    ));

  return {
    /** How the card sets these names (src/pdf/name-layout.ts), for enrolment to refuse what it cannot print whole. */
    async layoutNames(names: { printed: string; original?: string }) {
      return (await load()).renderer.layoutNames(names);
    },
    async render(input: { claims: CardClaims; qr: string; subject?: CardSubject; lang?: Language; layout: 'card' | 'sheet' }): Promise<Buffer> {
      const { renderer, theme } = await load();
      const view = {
        city: opts.city,
        theme,
        holderLanguage: input.lang ?? input.subject?.preferredLanguage ?? opts.officialLanguage,
        officialLanguage: opts.officialLanguage,
        printedName: input.claims.name,
        ...(input.subject?.originalName ? { originalName: input.subject.originalName } : {}),
        birthDate: input.claims.birthDate,
        ...(input.claims.marker ? { marker: input.claims.marker } : {}),
        number: formatCardNumber(input.claims.number),
        issuedOn: input.claims.issuedOn,
        expiresOn: input.claims.expiresOn,
        ...(input.subject?.photoJpeg ? { photoJpeg: input.subject.photoJpeg } : {}),
        qrText: input.qr,
        // What the holder asked to print for the road (issue 19); the QR above carries none of it.
        ...(input.subject?.road ? { road: (road ??= loadRoadData(opts.city.id)).view(input.subject.road, input.lang ?? input.subject.preferredLanguage, opts.officialLanguage) } : {}),
      };
      return input.layout === 'sheet' ? renderer.sheet(view) : renderer.card(view);
    },
  };
}

export type CardPdf = ReturnType<typeof createCardPdf>;
