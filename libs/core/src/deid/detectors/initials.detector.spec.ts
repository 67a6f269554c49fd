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

  it.each<[string, string[]]>([
    ['the mother, K., said she fed him', ['K.']],
    ['Baby Boy R. was born early', ['R.']],
    ['infant J.M was placed', ['J.M']],
    ['Child: JM', ['JM']],
    ['JM, 4, and KT, 2, were home', ['JM', 'KT']],
    ["JM was found in the crib. RP's mother called.", ['JM', 'RP']],
  ])('finds initials after a role, on a label line, with an age or acting as a person in %p', (text, expected) => {
    expect(initials(text)).toEqual(expected);
  });

  it.each(['for infants.', 'In re Baby Girl P., 2019 OK 12, the court held that ICWA applies.', 'Members of the Safe Kids coalition (S.K.C.) met.', 'The ER was busy; DA said no.'])(
    'does not flag plurals, reported cases or acronyms in %p',
    (text) => {
      expect(initials(text)).toEqual([]);
    },
  );

  it('finds initials after the word initials', () => {
    expect(initials('The bag carried the initials JM on the label.')).toEqual(['JM']);
  });
});
