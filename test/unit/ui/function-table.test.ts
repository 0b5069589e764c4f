import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { FunctionRow } from '../../../lib/flame/table';
import { FunctionTable, type FunctionTableProps } from '../../../app/ui/table/FunctionTable';
import { filterRows, formatRelativeChange, relativeChange, visibleRows } from '../../../app/ui/table/function-table-model';

const rows: FunctionRow[] = [
  { name: 'runtime.mallocgc', flat: 40, cum: 90 },
  { name: 'main.(*Server).Handle', flat: 5, cum: 300 },
  { name: 'encoding/json.Marshal', flat: 60, cum: 80 },
];

describe('filterRows', () => {
  it.each([
    ['', ['runtime.mallocgc', 'main.(*Server).Handle', 'encoding/json.Marshal']],
    ['MALLOC', ['runtime.mallocgc']],
    ['^(main|encoding)', ['main.(*Server).Handle', 'encoding/json.Marshal']],
    ['(*Server', ['main.(*Server).Handle']],
    ['  json ', ['encoding/json.Marshal']],
    ['nothing', []],
  ])('%j keeps %j (regular expression, else substring, either way ignoring case)', (filter, names) => {
    expect(filterRows(rows, filter).map((row) => row.name)).toEqual(names);
  });
});

describe('relative change', () => {
  it.each([
    [100, 150, '+50%', 0.5],
    [200, 150, '\u221225%', -0.25],
    [100, 100, '0%', 0],
    [0, 30, 'new', Infinity],
    [30, 0, 'gone', -1],
    [0, 0, '0%', 0],
    [3, 3.0001, '+<0.01%', 0.0001 / 3],
  ])('from %d to %d reads %s', (before, after, text, value) => {
    expect(formatRelativeChange(before, after)).toBe(text);
    expect(relativeChange(before, after)).toBeCloseTo(value, 12);
  });
});

describe('visibleRows', () => {
  it.each([
    ['at the top', 0, { start: 0, end: 30 }],
    ['scrolled into the middle', 22 * 1000, { start: 990, end: 1030 }],
    ['at the bottom', 22 * 19_990, { start: 19_980, end: 20_000 }],
  ])('%s renders the rows in view and a few around them', (_, scrollTop, range) => {
    expect(visibleRows(scrollTop, 440, 22, 20_000, 10)).toEqual(range);
  });

  it('renders nothing for an empty table', () => {
    expect(visibleRows(500, 440, 22, 0, 10)).toEqual({ start: 0, end: 0 });
  });
});

describe('FunctionTable', () => {
  const render = (props: Partial<FunctionTableProps>) =>
    renderToStaticMarkup(createElement(FunctionTable, { rows, unit: 'count', total: 400, onSelect: () => {}, filter: '', onFilterChange: () => {}, ...props }));
  const bodyRows = (html: string) => [...html.matchAll(/<tr[^>]*data-testid="function-row"[^>]*>(.*?)<\/tr>/g)].map((m) => cells(m[0]));
  const cells = (row: string) => [...row.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').replace(/&amp;/g, '&'));
  const headers = (html: string) => [...html.matchAll(/<th[^>]*>(.*?)<\/th>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').replace(/[▲▼]/g, ''));

  it('shows pprof\'s columns, biggest flat first, with shares of the total', () => {
    const html = render({});
    expect(headers(html)).toEqual(['Flat', 'Flat%', 'Cum', 'Cum%', 'Function']);
    expect(bodyRows(html)).toEqual([
      ['60', '15%', '80', '20%', 'encoding/json.Marshal'],
      ['40', '10%', '90', '22.5%', 'runtime.mallocgc'],
      ['5', '1.25%', '300', '75%', 'main.(*Server).Handle'],
    ]);
    expect(html).toContain('data-testid="function-table"');
    expect(html).toContain('data-testid="function-filter"');
  });

  it('in a diff shows before, after and the change, biggest change either way first', () => {
    const diffRows: FunctionRow[] = [
      { name: 'grew', flat: 0, cum: 50, baseFlat: 0, baseCum: 100 },
      { name: 'went', flat: -120, cum: -120, baseFlat: 120, baseCum: 120 },
      { name: 'came', flat: 7, cum: 7, baseFlat: 0, baseCum: 0 },
      { name: 'same', flat: 0, cum: 0, baseFlat: 9, baseCum: 9 },
    ];
    const html = render({ rows: diffRows, total: 1000, baseTotal: 1100 });
    expect(headers(html)).toEqual(['Before', 'After', 'Delta', 'Delta %', 'Function']);
    expect(bodyRows(html)).toEqual([
      ['120', '0', '\u2212120', 'gone', 'went'],
      ['100', '150', '+50', '+50%', 'grew'],
      ['0', '7', '+7', 'new', 'came'],
      ['9', '9', '0', '0%', 'same'],
    ]);
  });

  it('keeps the rows the filter matches, marks the selected one, and says how many are shown', () => {
    const html = render({ filter: 'm', selected: 'runtime.mallocgc' });
    expect(bodyRows(html).map((row) => row.at(-1))).toEqual(['encoding/json.Marshal', 'runtime.mallocgc', 'main.(*Server).Handle']);
    expect(html).toMatch(/<tr[^>]*aria-selected="true"[^>]*>.*?runtime\.mallocgc/);
    expect(html.match(/aria-selected="true"/g)).toHaveLength(1);
    expect(render({ filter: 'json' })).toContain('1 of 3 functions');
  });

  it('renders only a window of 20,000 rows, with space standing in for the rest', () => {
    const many: FunctionRow[] = Array.from({ length: 20_000 }, (_, i) => ({ name: `pkg.fn${i}`, flat: i, cum: i * 2 }));
    const html = render({ rows: many, total: 1e9 });
    const shown = bodyRows(html);
    expect(shown.length).toBeGreaterThan(10);
    expect(shown.length).toBeLessThan(100);
    expect(shown[0].at(-1)).toBe('pkg.fn19999');
    expect(html).toMatch(new RegExp(`height:${(20_000 - shown.length) * 22}px`));
  });
});
