/** The page's words in the five languages. */
import type { Lang } from '../shared/i18n.js';

const en = {
  title: 'Welcoming Week',
  intro: 'Events that bring the city’s residents and card holders together. No account needed to see the programme.',
  language: 'Language',
  list: 'List',
  calendar: 'Calendar',
  category: 'Category',
  all: 'All',
  empty: 'No events yet.',
  addToCalendar: 'Add to my calendar',
  wholeProgramme: 'The whole programme as a calendar file',
  open: 'Open to all',
  cardHolders: 'Card holders only',
  rsvpNone: 'Just come',
  rsvpFirstCome: 'Sign up at the portal: first come, first served',
  rsvpLottery: 'Sign up at the portal: places drawn by lot',
  places: '{{n}} places',
  languages: 'Languages: {{list}}',
  loading: 'Loading…',
  error: 'The programme could not be loaded. Try again later.',
  'cat-music': 'Music', 'cat-cooking': 'Cooking', 'cat-testimonies': 'Testimonies', 'cat-history-of-migration': 'History of migration', 'cat-sport': 'Sport',
  'cat-children': 'Children', 'cat-language-exchange': 'Language exchange', 'cat-card-holder-meeting': 'Card holders’ meeting', 'cat-other': 'Other',
};
export type Key = keyof typeof en;

export const STRINGS: Record<Lang, Record<Key, string>> = {
  en,
  fr: {
    title: 'Semaine de l’accueil', intro: 'Des événements qui réunissent les habitants et les titulaires de la carte. Pas besoin de compte pour voir le programme.',
    language: 'Langue', list: 'Liste', calendar: 'Calendrier', category: 'Catégorie', all: 'Toutes', empty: 'Aucun événement pour le moment.',
    addToCalendar: 'Ajouter à mon agenda', wholeProgramme: 'Tout le programme en fichier agenda', open: 'Ouvert à tous', cardHolders: 'Réservé aux titulaires de la carte',
    rsvpNone: 'Venez directement', rsvpFirstCome: 'Inscription sur le portail : premiers arrivés, premiers servis', rsvpLottery: 'Inscription sur le portail : places tirées au sort',
    places: '{{n}} places', languages: 'Langues : {{list}}', loading: 'Chargement…', error: 'Le programme n’a pas pu être chargé. Réessayez plus tard.',
    'cat-music': 'Musique', 'cat-cooking': 'Cuisine', 'cat-testimonies': 'Témoignages', 'cat-history-of-migration': 'Histoire des migrations', 'cat-sport': 'Sport',
    'cat-children': 'Enfants', 'cat-language-exchange': 'Échange de langues', 'cat-card-holder-meeting': 'Rencontre des titulaires', 'cat-other': 'Autre',
  },
  es: {
    title: 'Semana de Bienvenida', intro: 'Eventos que reúnen a los vecinos y a los titulares de la tarjeta. No hace falta cuenta para ver el programa.',
    language: 'Idioma', list: 'Lista', calendar: 'Calendario', category: 'Categoría', all: 'Todas', empty: 'Todavía no hay eventos.',
    addToCalendar: 'Añadir a mi calendario', wholeProgramme: 'Todo el programa como archivo de calendario', open: 'Abierto a todos', cardHolders: 'Solo titulares de la tarjeta',
    rsvpNone: 'Venga sin inscribirse', rsvpFirstCome: 'Inscripción en el portal: por orden de llegada', rsvpLottery: 'Inscripción en el portal: plazas por sorteo',
    places: '{{n}} plazas', languages: 'Idiomas: {{list}}', loading: 'Cargando…', error: 'No se pudo cargar el programa. Inténtelo más tarde.',
    'cat-music': 'Música', 'cat-cooking': 'Cocina', 'cat-testimonies': 'Testimonios', 'cat-history-of-migration': 'Historia de la migración', 'cat-sport': 'Deporte',
    'cat-children': 'Infancia', 'cat-language-exchange': 'Intercambio de idiomas', 'cat-card-holder-meeting': 'Encuentro de titulares', 'cat-other': 'Otros',
  },
  pt: {
    title: 'Semana de Acolhimento', intro: 'Eventos que reúnem os moradores e os portadores do cartão. Não é preciso conta para ver a programação.',
    language: 'Idioma', list: 'Lista', calendar: 'Calendário', category: 'Categoria', all: 'Todas', empty: 'Ainda não há eventos.',
    addToCalendar: 'Adicionar à minha agenda', wholeProgramme: 'Toda a programação como arquivo de agenda', open: 'Aberto a todos', cardHolders: 'Só para portadores do cartão',
    rsvpNone: 'Basta comparecer', rsvpFirstCome: 'Inscrição no portal: por ordem de chegada', rsvpLottery: 'Inscrição no portal: vagas sorteadas',
    places: '{{n}} vagas', languages: 'Idiomas: {{list}}', loading: 'Carregando…', error: 'Não foi possível carregar a programação. Tente mais tarde.',
    'cat-music': 'Música', 'cat-cooking': 'Culinária', 'cat-testimonies': 'Depoimentos', 'cat-history-of-migration': 'História da migração', 'cat-sport': 'Esporte',
    'cat-children': 'Crianças', 'cat-language-exchange': 'Troca de idiomas', 'cat-card-holder-meeting': 'Encontro de portadores', 'cat-other': 'Outros',
  },
  ar: {
    title: 'أسبوع الترحيب', intro: 'فعاليات تجمع سكان المدينة وحاملي البطاقة. لا حاجة إلى حساب لرؤية البرنامج.',
    language: 'اللغة', list: 'قائمة', calendar: 'تقويم', category: 'الفئة', all: 'الكل', empty: 'لا توجد فعاليات بعد.',
    addToCalendar: 'أضف إلى تقويمي', wholeProgramme: 'البرنامج كاملًا كملف تقويم', open: 'مفتوح للجميع', cardHolders: 'لحاملي البطاقة فقط',
    rsvpNone: 'تعال مباشرة', rsvpFirstCome: 'التسجيل عبر البوابة: الأولوية لمن يسجل أولًا', rsvpLottery: 'التسجيل عبر البوابة: الأماكن بالقرعة',
    places: '{{n}} مكانًا', languages: 'اللغات: {{list}}', loading: 'جارٍ التحميل…', error: 'تعذر تحميل البرنامج. حاول لاحقًا.',
    'cat-music': 'موسيقى', 'cat-cooking': 'طبخ', 'cat-testimonies': 'شهادات', 'cat-history-of-migration': 'تاريخ الهجرة', 'cat-sport': 'رياضة',
    'cat-children': 'أطفال', 'cat-language-exchange': 'تبادل لغوي', 'cat-card-holder-meeting': 'لقاء حاملي البطاقة', 'cat-other': 'أخرى',
  },
};
