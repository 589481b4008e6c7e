import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

/**
 * The development mail catcher: a real SMTP server in-process (smtp-server) that keeps
 * every mail as an .eml file in a folder instead of delivering it. `npm start` runs it
 * when no LOTSE_SMTP_URL is set (files only); the tests read what it caught (`mails`).
 */

export interface CaughtMail {
  to: string[];
  subject: string;
  text: string;
  messageId: string;
  raw: string;
  file: string;
}

export interface MailCatcher {
  url: string;
  folder: string;
  mails: CaughtMail[];
  stop(): Promise<void>;
}

export async function startMailCatcher(opts: {
  port: number;
  folder: string;
  /** Addresses to refuse with 550, as a real server refuses an unknown mailbox. */
  refuse?: (address: string) => boolean;
  /** Parse each mail and keep it in `mails` too (the default); npm start keeps the files only. */
  keep?: boolean;
}): Promise<MailCatcher> {
  mkdirSync(opts.folder, { recursive: true });
  // Loaded only to keep the mails: npm start's supervisor stays without it.
  const { simpleParser } = opts.keep === false ? { simpleParser: undefined } : await import('mailparser');
  let count = 0;
  const mails: CaughtMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (opts.refuse?.(address.address)) {
        const refused = Object.assign(new Error(`mailbox ${address.address} unknown`), { responseCode: 550 });
        return callback(refused);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const file = path.join(opts.folder, `${new Date().toISOString().replace(/[:.]/g, '-')}-${++count}.eml`);
        writeFileSync(file, raw);
        if (!simpleParser) return callback();
        const to = session.envelope.rcptTo.map((r) => r.address);
        simpleParser(raw).then(
          (p) => {
            mails.push({ to, subject: p.subject ?? '', text: p.text ?? '', messageId: p.messageId ?? '', raw, file });
            callback();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  return {
    url: `smtp://127.0.0.1:${opts.port}`,
    folder: opts.folder,
    mails,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
