/** What the portal's views receive. */
import type { Api } from '../shared/api.js';
import type { Lang } from '../shared/i18n.js';
import type { T } from './i18n.js';

export interface PortalCtx {
  api: Api;
  t: T;
  lang: Lang;
  signedIn(token: string): void;
  signOut(message?: string): void;
  say(message: string): void;
  problem(err: unknown): string;
  onLeave(fn: () => void): void;
}
