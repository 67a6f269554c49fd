/**
 * The twenty-third round: structural rules for what held-out 23 (evaluated, then trained on) showed:
 * a number after a CSV row's comma, and a CSV row's cell read under its header ("product,model,lot"
 * names a product's model, not a plate); and short-channel look-alikes: a room named after a person,
 * a cited author "and colleagues", programmes named after people ("… Kids", "… Opportunities"), a
 * camp's lakefront, an agency's "new" account, nursing credentials, a directive's number. Examples
 * written for this spec, not taken from any labelled set.
 */
import { findingsWithTokenModel } from '../spec-helpers';

const findings = findingsWithTokenModel;

describe('round twenty-three: identifiers the guard now finds', () => {
  it('finds an SSN-shaped number after a CSV comma', () => {
    expect(findings('Name,SSN,Note\n[removed],523819046,printed on the field-trip list')).toContain('ssn:523819046');
  });
});

describe('round twenty-three: public look-alikes the guard now leaves', () => {
  it.each<string>([
    'product,model,lot,action\nconvertible car seat,CS-5520,L2411C,replace harness\nplay yard,PY-410,all,stop use',
    'yep! safe-sleep train-the-trainer is 11/3 at 2pm in the Frances Perkins room on 2, sign up in the LMS before Friday',
    'As Kathleen Coulborn Faller and colleagues have reported, most disclosures are partial.',
    "Wendy's Wonderful Kids recruiters will join the permanency meeting on older-youth adoptions.",
    'Subject: Jim Casey Youth Opportunities stipend window opens Monday',
    "Water-safety day: Camp Widjiwagan lakefront, 47°56'N 91°48'W. Life jackets provided.",
    'Our new TikTok account, @wyodfs, posts short safety tips for teens.',
    'Medication passes may be done by an R.N. or L.P.N.; direct-care staff may only assist.',
    'Per Directive DIR-2026-007, every notice is reviewed by the privacy officer first.',
  ])('%s', (text) => {
    expect(findings(text)).toEqual([]);
  });

  // Guard rails: these held before this round too.
  it("still finds a child's room", () => {
    expect(findings("Jayden's room had no smoke alarm.")).toContain('personal_name:Jayden');
  });

  it('reads no number inside a thousands figure after a comma', () => {
    expect(findings('Total: 2,456 children and 1,204 referrals this year.')).toEqual([]);
  });
});
