import { found } from '../spec-helpers';
import { initialsDetector } from './initials.detector';

const initials = (t: string): string[] => found(initialsDetector, t);

describe('initials detector', () => {
  it.each<[string, string[]]>([
    ['Mother (K.T.) disclosed daily use; the child, J.M., was 14 months old.', ['K.T.', 'J.M.']],
    ['The infant (A.M.-H.) remains at home.', ['A.M.-H.']],
    ["D'Andre showed it to T.J., 12, in the garage.", ['T.J.']],
    ['Grandmother R.W. presented a card at the hospital.', ['R.W.']],
    ['The boy (JRM) scored high on the trauma module.', ['JRM']],
  ])('finds the initials in %p', (text, expected) => {
    expect(initials(text)).toEqual(expected);
  });

  it.each([
    'The U.S. Department of Health and Human Services and the D.C. office agree.',
    'Kansas reporters should cite K.S.A. 38-2226 and K.A.R. 30-46-10.',
    'Send it to P.O. Box 12 before 5 p.m.; Ana Ruiz, M.S.W., will reply.',
    'The child (CPS) was seen in the ICU.',
    'J.M. Barrie wrote Peter Pan.',
  ])('does not flag %p', (text) => {
    expect(initials(text)).toEqual([]);
  });
});
