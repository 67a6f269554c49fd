import { found } from '../spec-helpers';
import { socialHandleDetector } from './social-handle.detector';

const handles = (t: string): string[] => found(socialHandleDetector, t);

describe('social_handle detector', () => {
  it.each<[string, string[]]>([
    ['The mother posted on TikTok as @lilmamaxo_22 and at facebook.com/destiny.reyes.5011.', ['@lilmamaxo_22', 'facebook.com/destiny.reyes.5011']],
    ['She asked strangers on Reddit, under the username u/tiredmama_okc, about swings.', ['u/tiredmama_okc']],
    ['The dealer the teen knew as snapchat: kj_hunnid99 sold the pills.', ['kj_hunnid99']],
    ['The boy met the adult through Discord (toxicgamer#4417).', ['toxicgamer#4417']],
    ['The 13-year-old posted the video on TikTok as sav.marie.xo before she was found.', ['sav.marie.xo']],
    ['An adult used xXRiverRatXx on Twitch.', ['xXRiverRatXx']],
    ['The channel youtube.com/@BigBroMarco had the video.', ['youtube.com/@BigBroMarco']],
  ])('finds the handle in %p', (text, expected) => {
    expect(handles(text)).toEqual(expected);
  });

  it.each([
    "Share this week's #SafeSleepSaturday graphics from @ExampleCoDHS and facebook.com/ExampleCountyChildrenServices.",
    'Use the #SafeToSleep and #CribsForKids hashtags; tag @NICHD_NIH and @CPSCgov in posts.',
    'Follow @StateDCYF_Example on X and threads.net/@statedcyf_example for reminders.',
    'Snapchat, TikTok and Instagram now let parents restrict who can message teens.',
    'Email safety@dcf.example.gov with questions.',
  ])('does not flag %p', (text) => {
    expect(handles(text)).toEqual([]);
  });

  it.each<[string, string]>([
    ['Message the mother through Facebook Messenger (fb.com/tanya.mcbride.9) to reschedule the visit.', 'fb.com/tanya.mcbride.9'],
    ['She went by sadgirlhours on Snapchat.', 'sadgirlhours'],
    ["The teen's Discord name was nightowl.", 'nightowl'],
  ])('finds the handle in %p', (text, expected) => {
    expect(handles(text)).toEqual([expected]);
  });

  it.each([
    "Our team will run the campaign on the agency's Instagram (@ExampleFamiliesFirst) and TikTok (@examplefamiliesfirst).",
    'Follow @StateDCYF_Example on X and threads.net/@statedcyf_example for reminders.',
  ])('does not flag official accounts in %p', (text) => {
    expect(handles(text)).toEqual([]);
  });
});
