import { ForbiddenException } from '@nestjs/common';
import { NoticeRuleError } from '@sne/core';
import { inPlainWords } from './console.filter';
import { plainMessage, refusal } from './console-forms';

describe('refusals in plain words', () => {
  it('rewrites the service texts a person meets on a console page', () => {
    expect(plainMessage('cannot approve a notice that is published')).toBe('You cannot approve this notice: it is published.');
    expect(plainMessage('the notice changed since it was reviewed: contentHash does not match')).toBe('The notice changed after you opened it. Read it again on this page, then approve it.');
    expect(plainMessage('the author of a notice cannot approve it (two-person rule)')).toBe('You wrote this notice, so another approver must approve it (two-person rule).');
    expect(plainMessage('the user is already disabled')).toBe('The user is already disabled.');
  });

  it('a refusal from a service or the rules reads as a sentence, never as service text', () => {
    expect(refusal(new NoticeRuleError('forbidden', 'the author of a notice cannot approve it (two-person rule)'))?.message).toMatch(/^You wrote this notice/);
    expect(refusal(new ForbiddenException('missing or wrong CSRF token'))?.message).toMatch(/^This form has expired/);
  });

  it('error pages: roles, a malformed id and an expired form in words', () => {
    expect(inPlainWords(400, 'Validation failed (uuid is expected)')).toEqual({ status: 404, message: 'There is no page at this address.' });
    expect(inPlainWords(403, 'this action needs one of the roles: approver').message).toBe('This page is for approvers.');
    expect(inPlainWords(403, 'missing or wrong CSRF token').message).toMatch(/^This form has expired/);
  });
});
