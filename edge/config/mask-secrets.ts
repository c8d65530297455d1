// Passwords inside URLs (mqtt://user:secret@host) are replaced before any
// text leaves the process: in formatConfig, in errors and in logs.

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@:]*):([^\s/?#@]*)@/gi;

export const MASK = '***';

/** Every `scheme://user:password@` in the text, with the password masked. */
export function maskUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, (_, scheme: string, user: string) => `${scheme}${user}:${MASK}@`);
}
