import Handlebars from 'handlebars';
import { helpersUsedAsValues, TemplateRenderer } from '@sne/core';
import { ConsoleViews } from './console.views';

describe('console templates', () => {
  it('compile, and none names a helper where it means a value (the console\'s helpers and the emails\')', () => {
    expect(() => new ConsoleViews(new TemplateRenderer())).not.toThrow();
  });

  it('finds a helper named as a value, and nothing else', () => {
    const helpers = { json: () => '', human: () => '' };
    const found = (source: string) => helpersUsedAsValues(Handlebars.parse(source), helpers);
    expect(found('<a href="{{json}}">JSON</a> {{#each rows}}<td>{{{human}}}</td>{{/each}}')).toEqual(['json', 'human']);
    expect(found('{{json value}} {{human status}} {{jsonHref}} {{#if json}}x{{/if}} {{title}}')).toEqual([]);
  });
});
