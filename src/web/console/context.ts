/** What every console view receives: the API, the translator, who is signed in, and how to move between views. */
import type { Api } from '../shared/api.js';
import type { Lang } from '../shared/i18n.js';
import type { T } from './i18n.js';
import type { Grant, Session } from './session.js';

export type ViewName = 'signin' | 'search' | 'enrol' | 'resident' | 'edit' | 'password' | 'staff' | 'service-keys' | 'keys' | 'partners' | 'audit' | 'events' | 'benefits';

export interface Ctx {
  api: Api;
  t: T;
  lang: Lang;
  role: string | null;
  /** Signed in with a one-time password: every view but 'password' waits until the user has chosen their own. */
  mustChangePassword: boolean;
  /** Shows a view; state (a resident id, a card number) travels in memory, never in the URL. */
  show(view: ViewName, state?: unknown): void;
  /** Says something to screen readers and shows it in the status line. */
  say(message: string, kind?: 'ok' | 'bad'): void;
  /** The sliding session: sign-in, renewal, idle timeout (session.ts). */
  session: Session;
  /** After sign-in: opens the role's first view (the access token is already in memory). */
  signedIn(grant: Grant): void;
  /** Runs `fn` when the current view is left (stop the camera, revoke object URLs). */
  onLeave(fn: () => void): void;
  /** A readable message for a failed call. */
  problem(err: unknown): string;
}

export type View = (root: HTMLElement, ctx: Ctx, state?: unknown) => void | Promise<void>;
