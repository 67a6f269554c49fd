import { loadConfig, TemplateRenderer } from '@sne/core';
import { DataSource } from 'typeorm';
import { SurveyMailer } from './survey-mail';

describe('survey invitation email', () => {
  const data = { agencyName: 'Franklin County', title: 'Spring wave', teamName: 'Intake', url: 'https://sne.example/survey/abc', closesOn: '2027-03-31', opensOn: '2027-03-01' };
  const compose = (smtpUrl?: string) => new SurveyMailer({} as DataSource, new TemplateRenderer(), { ...loadConfig({}), smtpUrl }).compose('w1@fccs.example', 'survey-invitation', data);

  it('promises that nobody can tie an address to its link only when mail leaves through SMTP', () => {
    const sent = compose('smtp://mail.example:587');
    for (const part of [sent.text, sent.html]) {
      expect(part).toContain('not even its operators');
      expect(part).not.toContain('development mailbox');
    }
  });

  it('says, in the dev mailbox, that whoever runs it can read the link', () => {
    const kept = compose(undefined);
    for (const part of [kept.text, kept.html]) {
      expect(part).not.toContain('not even its operators');
      expect(part).toContain('development mailbox of a trial installation');
    }
  });
});
