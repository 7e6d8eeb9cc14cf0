/**
 * How reminders leave: a pluggable sender. The SMTP one uses nodemailer
 * (SMTP_URL, MAIL_FROM); another channel (SMS) would implement the same
 * port. Without a sender the service takes no contact at all.
 */
import nodemailer from 'nodemailer';

export interface ReminderSender {
  /** Which contacts this sender can reach. */
  readonly accepts: 'email';
  send(message: { to: string; subject: string; text: string }): Promise<void>;
  close(): void;
}

export function createSmtpSender(url: string, from: string): ReminderSender {
  const transport = nodemailer.createTransport(url);
  return {
    accepts: 'email',
    async send({ to, subject, text }) {
      await transport.sendMail({ from, to, subject, text });
    },
    close: () => transport.close(),
  };
}

/** An e-mail address as a sender could reach it (WHATWG's form-input rule, simplified). */
export const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;
