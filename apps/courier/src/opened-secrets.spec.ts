import { randomBytes } from 'node:crypto';
import { SecretBox } from '@sne/core';
import { OpenedSecrets } from './opened-secrets';

describe('OpenedSecrets', () => {
  const box = new SecretBox(randomBytes(32));

  it('opens each stored value once and gives the same secret every time', () => {
    const sealed = box.seal('whsec_one');
    const open = jest.spyOn(box, 'open');
    const secrets = new OpenedSecrets(box);
    expect([secrets.open(sealed), secrets.open(sealed), secrets.open(sealed)]).toEqual(['whsec_one', 'whsec_one', 'whsec_one']);
    expect(open).toHaveBeenCalledTimes(1);
    // A rotated secret is stored anew: a new entry, opened once.
    expect(secrets.open(box.seal('whsec_two'))).toBe('whsec_two');
    expect(open).toHaveBeenCalledTimes(2);
    open.mockRestore();
  });

  it('keeps at most `max` secrets, forgetting the oldest', () => {
    const secrets = new OpenedSecrets(box, 2);
    const [a, b, c] = ['whsec_a', 'whsec_b', 'whsec_c'].map((s) => box.seal(s));
    const open = jest.spyOn(box, 'open');
    secrets.open(a);
    secrets.open(b);
    secrets.open(c);
    secrets.open(b);
    expect(open).toHaveBeenCalledTimes(3);
    expect(secrets.open(a)).toBe('whsec_a');
    expect(open).toHaveBeenCalledTimes(4);
    open.mockRestore();
  });

  it('refuses a value sealed under another key, as the box does', () => {
    const other = new SecretBox(randomBytes(32)).seal('whsec_x');
    expect(() => new OpenedSecrets(box).open(other)).toThrow();
  });
});
