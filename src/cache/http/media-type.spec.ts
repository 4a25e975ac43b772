import { negotiateMediaType } from './media-type';

describe(negotiateMediaType.name, () => {
  it.each<[string | undefined, 'json' | 'csv']>([
    [undefined, 'json'],
    ['', 'json'],
    ['*/*', 'json'],
    ['application/json', 'json'],
    ['text/html', 'json'],
    ['text/csv', 'csv'],
    ['TEXT/CSV; charset=utf-8', 'csv'],
    ['text/csv, */*;q=0.1', 'csv'],
    ['text/csv;q=0', 'json'],
    ['application/json, text/csv', 'json'],
    ['application/json;q=0.5, text/csv', 'csv'],
    ['text/csv;q=0.4, application/json;q=0.9', 'json'],
    ['text/csv;q=0.5', 'csv'],
    ['text/csv;q=0.5, text/html', 'csv'],
  ])('should answer Accept %p with %s', (accept, expected) => {
    // Act / Assert
    expect(negotiateMediaType(accept, true)).toBe(expected);
  });

  it('should answer JSON when the route has no CSV, whatever is asked', () => {
    // Act / Assert
    expect(negotiateMediaType('text/csv', false)).toBe('json');
  });
});
