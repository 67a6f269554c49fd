import { teamsOf } from './console-survey-wave.controller';

describe('teamsOf (the console form\'s teams, one a line)', () => {
  it('reads "name, headcount" lines, names may hold commas, empty lines dropped', () => {
    expect(teamsOf('North intake unit, 12\n\n  Office, east side,4 \r\n')).toEqual({
      teams: [
        { name: 'North intake unit', expectedHeadcount: 12 },
        { name: 'Office, east side', expectedHeadcount: 4 },
      ],
    });
  });

  it('names the first line without a headcount or a name', () => {
    expect(teamsOf('North, 3\nEast office').problem).toMatch(/^Line 2 \("East office"\) needs a team name/);
    expect(teamsOf(', 3').problem).toMatch(/^Line 1/);
  });

  it('asks for a team when there is none', () => {
    expect(teamsOf('  \n').problem).toMatch(/at least one team/);
  });
});
