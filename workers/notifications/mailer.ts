// Sending e-mail: by SMTP with nodemailer when SMTP_URL is set (smtp://host:port or
// smtps://user:pass@host), otherwise written as .eml files under <CAMAU_DATA_DIR or ./.camau>/mail/
// (one file per Message-ID, so writing the same message again replaces it).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Preference } from './render.js';

export interface OutgoingMail {
  to: { name?: string; address: string };
  subject: string;
  text: string;
  /** With the angle brackets: `<...@...>`. Deterministic, so a receiver can drop a repeat. */
  messageId: string;
  language: Preference;
  date?: Date;
  headers?: Record<string, string>;
}

export interface Mailer {
  readonly kind: 'smtp' | 'files';
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): Promise<void>;
}

export interface MailerOptions {
  /** smtp:// or smtps:// URL; absent: .eml files in `dir`. */
  smtpUrl?: string;
  /** Folder for .eml files. Default ./.camau/mail. */
  dir?: string;
  /** From address. Default `Camau <no-reply@camau.invalid>`. */
  from?: string;
  /** SMTP connections kept open at once. */
  maxConnections?: number;
}

export const DEFAULT_FROM = 'Camau <no-reply@camau.invalid>';

/** Content-Language of a message in the recipient's preference. */
const contentLanguage = (p: Preference) => (p === 'both' ? 'cy, en' : p);

function message(from: string, mail: OutgoingMail) {
  return {
    from,
    to: mail.to.name ? { name: mail.to.name, address: mail.to.address } : mail.to.address,
    subject: mail.subject,
    text: mail.text,
    messageId: mail.messageId,
    ...(mail.date ? { date: mail.date } : {}),
    headers: { 'Content-Language': contentLanguage(mail.language), 'Auto-Submitted': 'auto-generated', ...mail.headers },
  };
}

export function createMailer(opts: MailerOptions = {}): Mailer {
  const from = opts.from ?? DEFAULT_FROM;
  if (opts.smtpUrl) {
    const transport = nodemailer.createTransport({ url: opts.smtpUrl, pool: true, maxConnections: opts.maxConnections ?? 4 });
    return {
      kind: 'smtp',
      async send(mail) {
        await transport.sendMail(message(from, mail));
        return { messageId: mail.messageId };
      },
      async close() {
        transport.close();
      },
    };
  }
  const dir = opts.dir ?? join('.camau', 'mail');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  let made = false;
  return {
    kind: 'files',
    async send(mail) {
      const info = await transport.sendMail(message(from, mail));
      if (!made) {
        mkdirSync(dir, { recursive: true });
        made = true;
      }
      const file = join(dir, `${emlName(mail.messageId)}.eml`);
      // Written whole or not at all: a reader never sees half a message.
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, info.message as Buffer);
      renameSync(tmp, file);
      return { messageId: mail.messageId };
    },
    async close() {
      transport.close();
    },
  };
}

/** A file name for a Message-ID: `<12.person-x@camau>` -> `12.person-x@camau`. */
export function emlName(messageId: string): string {
  return messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._@+-]/g, '_');
}

/** SMTP_URL, else .eml files in CAMAU_DATA_DIR/mail; SMTP_FROM for the sender. */
export function mailerFromEnv(env: NodeJS.ProcessEnv = process.env): Mailer {
  return createMailer({
    smtpUrl: env.SMTP_URL || undefined,
    dir: join(env.CAMAU_DATA_DIR ?? './.camau', 'mail'),
    from: env.SMTP_FROM || undefined,
  });
}

/**
 * Whether a send failed for good for this message (a rejected recipient or content, an invalid
 * address) rather than for now (no connection, a 4xx reply, bad credentials, which a retry or an
 * operator can fix).
 */
export function isPermanentFailure(e: unknown): boolean {
  const err = e as { code?: string; command?: string; permanent?: boolean; responseCode?: number };
  if (err?.code === 'EENVELOPE' && err.command === 'API') return true;
  const permanent = err?.permanent ?? (typeof err?.responseCode === 'number' && err.responseCode >= 500 && err.responseCode !== 503);
  return permanent === true && (err.command === 'RCPT TO' || err.command === 'DATA');
}
