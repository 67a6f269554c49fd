import { containsPattern, pageList, pageRequest, pagerView } from './paging';

describe('the shared paging and search helper', () => {
  it('reads ?q and ?page, and treats anything odd as no search and page 1', () => {
    expect(pageRequest({ q: '  smith ', page: '3' })).toMatchObject({ q: 'smith', page: 3, perPage: 25 });
    expect(pageRequest({ q: ['a', 'b'], page: '-2' })).toMatchObject({ q: 'a', page: 1 });
    expect(pageRequest({ page: 'x' })).toMatchObject({ q: '', page: 1 });
    expect(pageRequest({ page: '99999999' }).page).toBe(10_000);
    expect(pageRequest({ keysq: 'intake', keyspage: '2', q: 'other' }, 25, 'keys')).toMatchObject({ q: 'intake', page: 2, prefix: 'keys' });
  });

  it('matches the search text literally: % and _ are not wildcards', () => {
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });

  it('pages a list in memory with the same rules', () => {
    const all = Array.from({ length: 30 }, (_, i) => ({ name: `Person ${i + 1}` }));
    const page = pageList(all, { q: 'person 1', page: 1, perPage: 5 }, (p) => [p.name]);
    expect(page.total).toBe(11);
    expect(page.items.map((p) => p.name)).toEqual(['Person 1', 'Person 10', 'Person 11', 'Person 12', 'Person 13']);
  });

  it('links to nearby pages keeping every other parameter, and says what it shows', () => {
    const view = pagerView('/console/admin', { agency: 'A1', q: 'smith', page: '3', done: 'saved' }, { items: [1], total: 120, page: 3, perPage: 25 }, 'Pages of users', '#users');
    expect(view.summary).toBe('Showing 51 to 75 of 120');
    expect(view.previous).toBe('/console/admin?agency=A1&q=smith&page=2#users');
    expect(view.next).toBe('/console/admin?agency=A1&q=smith&page=4#users');
    expect(view.pages.map((p) => [p.n, p.current])).toEqual([[1, false], [2, false], [3, true], [4, false], [5, false]]);
    expect(view.pages[0].href).toBe('/console/admin?agency=A1&q=smith#users');
    expect(view.clear).toBe('/console/admin?agency=A1#users');
    expect(view.keep).toEqual([{ name: 'agency', value: 'A1' }]);
  });

  it('keeps a second table’s parameters apart (keysq, keyspage)', () => {
    const view = pagerView('/console/admin', { q: 'smith', page: '2', keysq: 'intake' }, { items: [1], total: 60, page: 1, perPage: 25, prefix: 'keys' }, 'Pages of keys');
    expect(view.next).toBe('/console/admin?q=smith&page=2&keysq=intake&keyspage=2');
    expect(view.q).toBe('intake');
    expect(view.qName).toBe('keysq');
  });

  it('says so when nothing matches, or the page is past the last', () => {
    expect(pagerView('/x', {}, { items: [], total: 0, page: 1, perPage: 25 }, 'p').summary).toBe('No matches');
    const past = pagerView('/x', { page: '9' }, { items: [], total: 30, page: 9, perPage: 25 }, 'p');
    expect(past.summary).toMatch(/past the last/);
    expect(past.previous).toBe('/x?page=2');
  });
});
