import { found } from '../spec-helpers';
import { vehicleIdDetector } from './vehicle-id.detector';

const ids = (t: string): string[] => found(vehicleIdDetector, t);

describe('vehicle_id detector', () => {
  it.each<[string, string]>([
    ['The toddler was left in a 2014 Honda Odyssey (Texas plate LMN-4829) outside a church.', 'LMN-4829'],
    ['A pickup with Oklahoma tag ODR 5512 was parked across the path.', 'ODR 5512'],
    ['Redact the VIN 3FADP4BJ7KM123456 of the family sedan.', '3FADP4BJ7KM123456'],
    ['Tony drove off in the silver Camry, 8MNW417, with the child unbuckled.', '8MNW417'],
    ['The sedan (VIN 5NPE34AF4JH612908, New Mexico BHKR-22) had a seat installed backward.', '5NPE34AF4JH612908'],
    ['A neighbor photographed the minivan plate, DV 83317, before it left.', 'DV 83317'],
    ['The truck (GA tag CTK4471) was unlocked.', 'CTK4471'],
  ])('finds the identifier in %p', (text, expected) => {
    expect(ids(text)[0]).toBe(expected);
  });

  it('finds a plate after a state name in a sentence about a vehicle', () => {
    expect(ids('The sedan (New Mexico BHKR-22) had a car seat installed backward.')).toEqual(['BHKR-22']);
  });

  it.each([
    'The recall covers the 2019 Honda Odyssey and the 2020 Toyota Sienna.',
    'NHTSA campaign 24V-123 covers rear-facing seats; check model 8AF37.',
    'Use a hot plate with care; name tags are on the door.',
    'In 2024, Texas reported 12 hot-car deaths.',
  ])('does not flag %p', (text) => {
    expect(ids(text)).toEqual([]);
  });

  it.each<[string, string]>([
    ['Deputies located the minivan, which carried temporary tag T-558120, behind the duplex.', 'T-558120'],
    ['Plate: OK 4KJ-221', '4KJ-221'],
    ['VIN ending in 004352 matched the stolen car.', '004352'],
  ])('finds the plate or VIN in %p', (text, expected) => {
    expect(ids(text)).toEqual([expected]);
  });
});
