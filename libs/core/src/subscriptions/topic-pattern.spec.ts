import { anyTopicMatches, isTopicKey, isTopicPattern, topicMatches } from './topic-pattern';

describe('topic patterns', () => {
  it.each([
    ['safe-sleep', 'safe-sleep', true],
    ['safe-sleep', 'safe-sleep.cribs', false],
    ['substance-exposure.*', 'substance-exposure.fentanyl', true],
    ['substance-exposure.*', 'substance-exposure', false],
    ['substance-exposure.*', 'substance-exposure.fentanyl.pills', false],
    ['substance-exposure.>', 'substance-exposure.fentanyl', true],
    ['substance-exposure.>', 'substance-exposure.fentanyl.pills', true],
    ['substance-exposure.>', 'substance-exposure', false],
    ['*.screening', 'intake.screening', true],
    ['*.screening', 'intake.other', false],
    ['>', 'anything.at.all', true],
    ['*', 'safe-sleep', true],
    ['*', 'intake.screening', false],
  ])('%s matches %s: %s', (pattern, topic, expected) => {
    expect(topicMatches(pattern, topic)).toBe(expected);
  });

  it('accepts well-formed keys and patterns only', () => {
    expect(isTopicKey('substance-exposure.fentanyl')).toBe(true);
    expect(isTopicKey('Substance')).toBe(false);
    expect(isTopicKey('a..b')).toBe(false);
    expect(isTopicKey('a.*')).toBe(false);
    expect(isTopicPattern('a.*.c')).toBe(true);
    expect(isTopicPattern('a.>')).toBe(true);
    expect(isTopicPattern('>')).toBe(true);
    expect(isTopicPattern('a.>.b')).toBe(false);
    expect(isTopicPattern('a.b*')).toBe(false);
    expect(isTopicPattern("a'; drop table x")).toBe(false);
  });

  it('matches when any pattern matches any topic', () => {
    expect(anyTopicMatches(['intake.*', 'safe-sleep'], ['safe-sleep'])).toBe(true);
    expect(anyTopicMatches(['intake.*'], ['safe-sleep', 'medical'])).toBe(false);
  });
});
