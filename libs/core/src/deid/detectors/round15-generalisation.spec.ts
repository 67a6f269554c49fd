/**
 * The fifteenth round: structural rules for what held-out 15 (evaluated, then trained on) showed:
 * a family's phone behind a bare label or an extension, plates and names in capitals, and trainers,
 * clubs, saints' places and federal reports in announcements. Examples written for this spec, not
 * taken from any labelled set.
 */
import { findingsWithTokenModel } from '../spec-helpers';

const findings = findingsWithTokenModel;

describe('round fifteen: identifiers the guard now finds', () => {
  it.each<[string, string]>([
    // A label that only says "phone" is no office's directory line, whatever place follows the number.
    ['phone: 1-907-543-2210 (Bethel AK) - grandma wants the class in person', 'phone:1-907-543-2210'],
    // An extension does not make a switchboard when the number reaches a family.
    ['Call (907) 543 2210 x7 to reach the foster family about the gate latch.', 'phone:(907) 543 2210'],
    // A vanity plate may be letters only.
    ['Vanity plate GOTBABY on the dad\'s pickup was seen at the park.', 'vehicle_id:GOTBABY'],
    // Names in capitals: before someone of theirs, and heading a line as its label.
    ["ANTHONY's grandma says he climbed the bookcase again.", 'personal_name:ANTHONY'],
    ['JAYLEN BROOKS: CAR SEAT EDUCATION REFUSED AT DISCHARGE', 'personal_name:JAYLEN BROOKS'],
  ])('%s', (text, finding) => {
    expect(findings(text)).toContain(finding);
  });
});

describe('round fifteen: public look-alikes the guard now leaves', () => {
  it.each<string>([
    // Trainers listed after a plural title, each with their town.
    'Trainers Peter Kiokun (Bethel) and Amy Sundberg (Anchorage) will co-teach the water-safety module.',
    // A Hawaiian teacher's title.
    'Kumu Leilani Kahananui will open the resource-parent conference with an oli.',
    // Places named after saints and forts, in a schedule.
    'Car-seat clinics this month: San Marcos (Tue), Santa Rosa (Wed), St. George (Thu).',
    // A club named after a person.
    'The Walter Hooper Boys & Girls Club will host the teen online-safety night.',
    // A federal enforcement report's number.
    'FDA enforcement report Z-2210-2025: a pediatric pulse oximeter probe may give false readings.',
    // An organisation's switchboard and extension.
    'Call (907) 543 2210 x7 for the licensing office.',
    // A vanity plate's word, with no plate.
    'Vanity plates ARE a fundraiser for the children\'s trust fund.',
    // Capitals that are no name: a programme heading a line.
    'SAFE SLEEP: NEW GUIDANCE FOR PARENTS',
  ])('%s', (text) => {
    expect(findings(text)).toEqual([]);
  });

  it('keeps the cases these rules must not reach', () => {
    // Children named in a list after a plural word that is no title.
    expect(findings('The twins Peter Kiokun and Amy Sundberg were placed together.')).toEqual(
      expect.arrayContaining(['personal_name:Peter Kiokun', 'personal_name:Amy Sundberg']),
    );
  });
});
