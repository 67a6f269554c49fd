/** Nest token for the EmailSender: SMTP when SMTP_URL is set, the dev mailbox otherwise. */
export const EMAIL_SENDER = Symbol('EMAIL_SENDER');
