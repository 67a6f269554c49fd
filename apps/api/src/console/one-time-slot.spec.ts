import { Principal } from '../common/principal';
import { OneTimeSlots, SLOT_TTL_MS } from './one-time-slot';

const who = (sessionId: string): Principal => ({ userId: 'u1', agencyId: 'a1', roles: ['agency_admin'], name: 'A', email: 'a@x', apiKeyId: null, sessionId });

describe('OneTimeSlots', () => {
  it('gives a value once, to the session that put it, until it expires', () => {
    const slots = new OneTimeSlots();
    slots.put(who('s1'), 'key', 'secret', 1000);
    expect(slots.take(who('s2'), 'key', 1001)).toBeUndefined();
    expect(slots.take(who('s1'), 'other', 1001)).toBeUndefined();
    expect(slots.take(who('s1'), 'key', 1001)).toBe('secret');
    expect(slots.take(who('s1'), 'key', 1002)).toBeUndefined();
    slots.put(who('s1'), 'key', 'late', 1000);
    expect(slots.take(who('s1'), 'key', 1000 + SLOT_TTL_MS)).toBeUndefined();
  });
});
