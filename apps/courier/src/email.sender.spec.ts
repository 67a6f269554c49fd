import { ConfigError } from '@sne/core/config';
import type { DevMailbox } from '@sne/core/mailbox/dev-mailbox';
import { createEmailSender, DevMailboxEmailSender } from './email.sender';

describe('createEmailSender', () => {
  const mailbox = {} as DevMailbox;

  it('keeps mail in the dev mailbox outside production when there is no SMTP_URL', () => {
    expect(createEmailSender({ from: 'n@x.test' }, mailbox)).toBeInstanceOf(DevMailboxEmailSender);
  });

  it('never uses the dev mailbox in production: no SMTP_URL is a configuration error', () => {
    expect(() => createEmailSender({ from: 'n@x.test', production: true }, mailbox)).toThrow(ConfigError);
    expect(() => createEmailSender({ from: 'n@x.test', production: true }, mailbox)).toThrow(/SMTP_URL is required when NODE_ENV=production/);
  });

  it('sends through SMTP_URL when there is one, in production too', async () => {
    const sender = createEmailSender({ from: 'n@x.test', smtpUrl: 'smtp://127.0.0.1:2525', production: true }, mailbox);
    expect(sender).not.toBeInstanceOf(DevMailboxEmailSender);
    await sender.close();
  });
});
