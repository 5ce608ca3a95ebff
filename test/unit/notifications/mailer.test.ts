// Without SMTP_URL, messages are written as .eml files in the data folder, one per Message-ID.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMailer, emlName, isPermanentFailure, mailerFromEnv } from '../../../workers/notifications/mailer.js';

describe('the .eml mailer', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'camau-mail-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const mail = {
    to: { name: 'Pennaeth', address: 'head@example.test' },
    subject: "Nodyn atgoffa: Trafod y cynllun â'r pennaeth / Reminder: Discuss the plan",
    text: "Saesneg isod / English below\n\nTasg: Trafod y cynllun â'r pennaeth",
    messageId: '<42.person.head-a@camau>',
    language: 'both' as const,
    date: new Date('2026-11-02T09:00:00Z'),
  };

  it('writes one file per message, named by its Message-ID, with the language and the UTF-8 text', async () => {
    const m = mailerFromEnv({ CAMAU_DATA_DIR: dir });
    expect(m.kind).toBe('files');
    expect(await m.send(mail)).toEqual({ messageId: mail.messageId });
    const files = readdirSync(join(dir, 'mail'));
    expect(files).toEqual(['42.person.head-a@camau.eml']);
    const eml = readFileSync(join(dir, 'mail', files[0]), 'utf8');
    expect(eml).toMatch(/^Message-ID: <42\.person\.head-a@camau>\r$/m);
    expect(eml).toMatch(/^Content-Language: cy, en\r$/m);
    expect(eml).toMatch(/^Auto-Submitted: auto-generated\r$/m);
    expect(eml).toMatch(/^To: Pennaeth <head@example\.test>\r$/m);
    expect(eml).toMatch(/^Subject: =\?UTF-8\?/m);
    expect(eml).toContain('\r\n\r\n');
    await m.close();
  });

  it('writing the same message again replaces it rather than adding a second', async () => {
    const m = createMailer({ dir });
    await m.send(mail);
    await m.send(mail);
    await m.send({ ...mail, messageId: '<42.person.teacher-a@camau>', to: { address: 'a@example.test' }, language: 'cy' });
    expect(readdirSync(dir).sort()).toEqual(['42.person.head-a@camau.eml', '42.person.teacher-a@camau.eml']);
    expect(readFileSync(join(dir, '42.person.teacher-a@camau.eml'), 'utf8')).toMatch(/^Content-Language: cy\r$/m);
    await m.close();
  });

  it('file names keep to safe characters', () => {
    expect(emlName('<1.user.a/b@camau>')).toBe('1.user.a_b@camau');
  });
});

describe('send failures', () => {
  it('only a refused recipient, refused content or an invalid address is permanent', () => {
    expect(isPermanentFailure({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550, permanent: true })).toBe(true);
    expect(isPermanentFailure({ code: 'EMESSAGE', command: 'DATA', responseCode: 554, permanent: true })).toBe(true);
    expect(isPermanentFailure({ code: 'EENVELOPE', command: 'API' })).toBe(true);
    expect(isPermanentFailure({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 450, permanent: false })).toBe(false);
    expect(isPermanentFailure({ code: 'EAUTH', command: 'AUTH PLAIN', responseCode: 535, permanent: true })).toBe(false);
    expect(isPermanentFailure({ code: 'ESOCKET' })).toBe(false);
    expect(isPermanentFailure(new Error('boom'))).toBe(false);
  });
});
