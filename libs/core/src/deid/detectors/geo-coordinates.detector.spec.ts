import { found } from '../spec-helpers';
import { geoCoordinatesDetector } from './geo-coordinates.detector';

const geo = (t: string): string[] => found(geoCoordinatesDetector, t);

describe('geo_coordinates detector', () => {
  it.each<[string, string]>([
    ['Deputies located the home at 35.21847, -97.44391, a single-wide.', '35.21847, -97.44391'],
    ['The pool is behind a rental home at 36°09′12.4″N 95°58′31.0″W.', '36°09′12.4″N 95°58′31.0″W'],
    ["Scene: N 44° 58.211' W 093° 15.447', the family's backyard.", "N 44° 58.211' W 093° 15.447'"],
    ['The scene (34.98810° N, 97.11420° W) is a private farm pond.', '34.98810° N, 97.11420° W'],
    ['Dispatch logged the family address as plus code 849VCWC8+R9.', '849VCWC8+R9'],
    ['The house at CWC8+R9 Tahlequah had a shed.', 'CWC8+R9 Tahlequah'],
    ["The family's cabin: EMS used ///lantern.soggy.pillows to find it.", '///lantern.soggy.pillows'],
    ['The layer contains the point [-96.90412, 36.11583] labelled as the family residence.', '[-96.90412, 36.11583]'],
    ['GPS placed the apartment at lat 41.77492, long -88.13207, on the third floor.', 'lat 41.77492, long -88.13207'],
  ])('finds the location in %p', (text, expected) => {
    expect(geo(text)).toEqual([expected]);
  });

  it.each([
    'The boat ramp at 36.1540, -95.9928 on the Arkansas River is the most frequent drowning site.',
    'Crossing coordinates 35.4676, -97.5164 mark the low-water crossing on the public trail.',
    'Version 2.1.3 and ratio 0.25, 0.75 are not coordinates.',
  ])('does not flag %p', (text) => {
    expect(geo(text)).toEqual([]);
  });

  it.each<[string, string]>([
    ['Dispatch logged it at 38.9012, -94.1120. In addition, the chief responded.', '38.9012, -94.1120'],
    ['The home: lat 35.48, long -97.51.', 'lat 35.48, long -97.51'],
  ])('finds coordinates before a full stop and labelled ones at any precision in %p', (text, expected) => {
    expect(geo(text)).toEqual([expected]);
  });

  it.each(['Drownings cluster near the Sandy Point boat ramp (36.0815, -95.2234), where the shelf drops off.', 'Version 1.2345, 2.3456.'])(
    'does not flag a public hazard or small decimal pairs in %p',
    (text) => {
      expect(geo(text)).toEqual([]);
    },
  );
});
