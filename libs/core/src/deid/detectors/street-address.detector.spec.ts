import { found } from '../spec-helpers';
import { streetAddressDetector } from './street-address.detector';

const addresses = (t: string): string[] => found(streetAddressDetector, t);

describe('street_address detector', () => {
  it.each<[string, string[]]>([
    ['Paramedics went to 2231 Wren Street, Apt. 4, after the call.', ['2231 Wren Street, Apt. 4']],
    ['The reporter gave the address as 418 N. Elm Ave and hung up.', ['418 N. Elm Ave']],
    ['Police were called to the 2400 block of Euclid Avenue.', ['2400 block of Euclid Avenue']],
    ['The family home at 8820 County Road 14 had a pond.', ['8820 County Road 14']],
    ["The family's apartment, Unit 5C in the Maple Gardens complex, had no window stops.", ['Unit 5C']],
    ['Fire investigators traced the blaze to a candle at 118 1/2 Locust Street.', ['118 1/2 Locust Street']],
    ["The Kowalczyk family's farmhouse at RR 2 Box 118 had a lagoon.", ['RR 2 Box 118']],
    ['Cody was watching the children at HC 63 Box 27 when the heater tipped.', ['HC 63 Box 27']],
    ['The family lived at Lot 14, Shady Pines Mobile Home Park, outside Ada.', ['Lot 14, Shady Pines Mobile Home Park']],
    ['On Oct. 2 a toddler fell from the window of unit 204 at 3900 Riverbend Pkwy; it had no stop.', ['unit 204', '3900 Riverbend Pkwy']],
  ])('finds the address in %p', (text, expected) => {
    expect(addresses(text)).toEqual(expected);
  });

  it.each([
    'Highway 30 and Route 9 crash data show unrestrained children.',
    'Training will be held at 1500 Capitol Avenue, Conference Room B.',
    'Car seat checks are held every Saturday at Fire Station 12.',
    'Crib pickups are at Tribal Family Services, 101 Council Drive, Building C, Monday through Thursday.',
    'The public boat launch at 4400 Lakeshore Drive (Mercer Park) will lend life jackets.',
    'Our office is at 1200 Capitol Avenue, Suite 400, Springfield.',
    'The fire marshal will hand out free smoke alarms at the 100 State Street training center.',
    'ZIP codes 73105 and 73111 account for a third of reports.',
  ])('does not flag %p', (text) => {
    expect(addresses(text)).toEqual([]);
  });

  it.each<[string, string]>([
    ['Canvass the 1200 block of West Maple for the neighbor.', '1200 block of West Maple'],
    ['The family lived in house 14 on Tribal Route 7.', 'house 14 on Tribal Route 7'],
    ['a Hmong family living in a single-wide on Lot 14 of Pine Acres', 'Lot 14 of Pine Acres'],
  ])('finds the home in %p', (text, expected) => {
    expect(addresses(text).some((s) => s.includes(expected))).toBe(true);
  });

  it.each([
    'Its first meeting is set for March 9, 2026, at the Capitol Annex, 301 W. Jefferson St.',
    'The safe sleep fair will be held Saturday from 10 a.m. to 2 p.m. at the Waldo Community Center (pop. 1,200), 12 Main Street.',
  ])('does not flag a named building or a venue in %p', (text) => {
    expect(addresses(text)).toEqual([]);
  });
});
