import { createHash } from 'node:crypto';
import { createTransport } from 'nodemailer';

/**
 * Sends one mail over SMTP (nodemailer), with its calendar entry when it has one; tells a refusal
 * for good from a server that is away.
 */

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Stable per event and recipient: the Message-ID derives from it, so a resend is recognisably the same mail. */
  key: string;
  /** An iCalendar invitation (REQUEST) or cancellation (CANCEL). */
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string };
  /** Files sent along (a report's PDF and spreadsheet). */
  attachments?: { filename: string; content: Uint8Array; contentType: string }[];
}

export type Delivery = { sent: true } | { sent: false; refused: string };

export interface Mailer {
  /** Resolves sent, or refused for good (an address the server will not take); throws while it cannot be reached. */
  send(mail: OutgoingMail): Promise<Delivery>;
  close(): void;
}

export function createMailer(url: string, from: string): Mailer {
  const transport = createTransport(url, { from });
  // Short waits: a server that does not answer is retried later, with the mail still waiting.
  Object.assign(transport.options, { connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 15_000 });
  return {
    async send(mail) {
      const id = createHash('sha256').update(mail.key).digest('hex').slice(0, 32);
      try {
        await transport.sendMail({
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          messageId: `<${id}@lotse>`,
          // As calendar clients expect it: a text/calendar alternative with the method, and the same as an .ics file.
          ...(mail.calendar
            ? { icalEvent: { method: mail.calendar.method, content: mail.calendar.content, filename: 'besuch.ics' } }
            : {}),
          ...(mail.attachments
            ? { attachments: mail.attachments.map((a) => ({ ...a, content: Buffer.from(a.content) })) }
            : {}),
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
        return { sent: true };
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        // 5xx: the server refused for good (an unknown mailbox); anything else may pass on a later try.
        if (code !== undefined && code >= 500) return { sent: false, refused: (err as Error).message };
        throw err;
      }
    },
    close: () => transport.close(),
  };
}
