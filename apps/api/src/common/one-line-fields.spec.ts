import { getMetadataStorage } from 'class-validator';
import { apiDtoFiles } from '../../../../test/support/dto-files';

/**
 * Every short text a request can set (a string field of at most 254 characters in any DTO) is
 * one line, unless it is a kind of text that is no one's name or title: a search, a password, a
 * token, an id, a code of fixed form or an address checked by its own rule. A field added later
 * fails here until it is decided.
 */
const NOT_PROSE: Record<string, string> = {
  q: 'a search',
  password: 'a password',
  currentPassword: 'a password',
  newPassword: 'a password',
  access_token: 'a token',
  entityId: 'an id to look up',
  actor: 'a search',
  key: 'a topic key (its own pattern)',
  email: 'an address (IsEmail)',
  noticesContactEmail: 'an address (IsEmail)',
  emailAddresses: 'addresses (IsEmail)',
  emails: 'addresses (IsEmail)',
  targetJurisdictions: 'codes',
  field: 'a field name',
  kind: 'a finding kind',
  domainId: 'an instrument id',
  instrumentVersion: 'a version',
  targetDate: 'a date',
  implementedOn: 'a date',
};

describe('one-line texts', () => {
  it('every short string field of every DTO is one line, or is named here as not prose', () => {
    for (const file of apiDtoFiles()) require(file);
    const metadata = [...getMetadataStorage()['validationMetadatas'].values()].flat() as {
      target: { name: string };
      propertyName: string;
      name?: string;
      constraints?: unknown[];
    }[];
    const short = new Set<string>();
    const oneLine = new Set<string>();
    for (const m of metadata) {
      const key = `${m.target.name}.${m.propertyName}`;
      const max = m.name === 'maxLength' ? Number(m.constraints?.[0]) : m.name === 'isLength' ? Number(m.constraints?.[1]) : Infinity;
      if (max <= 254 && !(m.propertyName in NOT_PROSE)) short.add(key);
      if (m.name === 'oneLine') oneLine.add(key);
    }
    expect(short.size).toBeGreaterThanOrEqual(20);
    expect([...short].filter((k) => !oneLine.has(k)).sort()).toEqual([]);
  });
});
