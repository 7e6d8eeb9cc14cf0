/** The few words an appointment's calendar entry and reminder carry, in the five languages. */
export const TEXTS = {
  en: { summary: 'Card enrolment appointment', reminder: 'Reminder: your card enrolment appointment', reference: 'Reference', bring: 'Bring your documents.' },
  fr: { summary: "Rendez-vous pour la carte", reminder: 'Rappel : votre rendez-vous pour la carte', reference: 'Référence', bring: 'Apportez vos documents.' },
  es: { summary: 'Cita para la tarjeta', reminder: 'Recordatorio: su cita para la tarjeta', reference: 'Referencia', bring: 'Traiga sus documentos.' },
  pt: { summary: 'Marcação para o cartão', reminder: 'Lembrete: a sua marcação para o cartão', reference: 'Referência', bring: 'Traga os seus documentos.' },
  ar: { summary: 'موعد التسجيل للبطاقة', reminder: 'تذكير: موعد التسجيل للبطاقة', reference: 'المرجع', bring: 'أحضر وثائقك.' },
} as const;

export type TextLang = keyof typeof TEXTS;
export const textsFor = (lang: string) => TEXTS[(lang in TEXTS ? lang : 'en') as TextLang];
