import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/**
 * One-time survey tokens. The respondent holds the token; the database holds only its SHA-256,
 * with the wave and team, and deletes that row when the token is used. Nothing records which
 * address (or which printed slip) a token went to.
 */

/** An emailed link's token: 32 random bytes, base64url (43 characters). */
export function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Letters and digits that cannot be misread on paper (no 0/O, 1/I/L, U). */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 16;

/** A team code for in-person handout: 16 characters (about 78 bits), printed in groups of four. */
export function newTeamCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** A code as printed (groups of four) for the handout sheet. */
export function groupedCode(code: string): string {
  return code.replace(/(.{4})(?=.)/g, '$1-');
}

/** A typed team code as stored: capitals, no spaces or dashes. Undefined when it cannot be a code. */
export function normalizedCode(typed: string): string | undefined {
  const code = typed.toUpperCase().replace(/[\s-]/g, '');
  return code.length === CODE_LENGTH && [...code].every((c) => CODE_ALPHABET.includes(c)) ? code : undefined;
}

/** Whether a path segment could be a token at all (a link token or a code); anything else is refused unread. */
export function plausibleToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token) || normalizedCode(token) === token;
}

export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Fisher–Yates with the crypto generator. */
export function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Stores the hashes of new tokens (each with its team) in a shuffled order, in ONE statement:
 * neither the order of the rows nor a gap between statements says which token was made for which
 * address.
 */
export async function storeTokens(m: EntityManager, waveId: string, channel: 'email' | 'code', tokens: readonly { teamId: string; token: string }[]): Promise<void> {
  if (tokens.length === 0) return;
  const rows = shuffled(tokens);
  await m.query(
    `INSERT INTO survey_tokens (token_hash, wave_id, team_id, channel)
     SELECT t.hash, $3, t.team_id, $4 FROM unnest($1::bytea[], $2::uuid[]) AS t(hash, team_id)`,
    [rows.map((r) => tokenHash(r.token)), rows.map((r) => r.teamId), waveId, channel],
  );
}
