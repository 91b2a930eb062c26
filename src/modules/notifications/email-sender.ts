import nodemailer from 'nodemailer';
import type { EmailConfig } from '../../platform/config.js';

/** Sends notification emails through the SMTP server of the settings (`email.*`). */

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
  close(): void;
}

export function createEmailSender(config: EmailConfig, timeoutMs: number): EmailSender {
  const timeouts = { connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs };
  const smtp = config.smtp;
  const transport =
    'url' in smtp
      ? // nodemailer reads host, port, TLS and credentials from `url` (smtp:// or smtps://).
        nodemailer.createTransport({ url: smtp.url, ...timeouts })
      : nodemailer.createTransport({
          host: smtp.host,
          port: smtp.port,
          secure: smtp.tls === 'tls',
          requireTLS: smtp.tls === 'starttls',
          ignoreTLS: smtp.tls === 'none',
          ...(smtp.user !== null ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
          ...timeouts,
        });
  return {
    async send(message) {
      await transport.sendMail({ from: config.from, ...message });
    },
    close() {
      transport.close();
    },
  };
}
