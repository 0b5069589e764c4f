import { describe, expect, it } from 'vitest';
import { profileParams } from '../../../app/ui/query/profile-request';
import { formatQueryState, parseQueryState, patchQueryState, type QueryState } from '../../../app/ui/query/url-state';

const read = (search: string) => parseQueryState(new URLSearchParams(search));
const roundTrip = (state: QueryState) => read(formatQueryState(state));

describe('the query page URL', () => {
  it('keeps every part of a view through a link', () => {
    const state = read(
      '?query=heap%7Bjob%3D%22api%22%7D&from=now-6h&to=now&merge_from=100&merge_to=200&view=sandwich&sample_type=alloc_space%2Fbytes&zoom=main%3Bhandle&search=json&orient=flame&fn=json.Marshal',
    );
    expect(state).toEqual({
      query: 'heap{job="api"}',
      from: 'now-6h',
      to: 'now',
      selection: { kind: 'merge', from: 100, to: 200 },
      compare: null,
      view: 'sandwich',
      sampleType: 'alloc_space/bytes',
      zoom: ['main', 'handle'],
      search: 'json',
      orientation: 'flame',
      fn: 'json.Marshal',
    });
    expect(roundTrip(state)).toEqual(state);
  });

  it("opens Conprof's /pprof/ links: a query and a time", () => {
    const state = read('?query=heap%7Bjob%3D%22api%22%7D&time=1764036840000');
    expect(state.selection).toEqual({ kind: 'single', time: 1764036840000, series: null });
    expect(profileParams(state)).toEqual({ mode: 'single', query: 'heap{job="api"}', time: 1764036840000 });
  });

  it('writes defaults out of the link and reads them back', () => {
    const state = read('?query=heap');
    expect(formatQueryState(state)).toBe('?query=heap');
    expect([state.from, state.to, state.view, state.orientation]).toEqual(['now-1h', 'now', 'both', 'icicle']);
    expect(formatQueryState(read(''))).toBe('');
  });

  it('ignores malformed parameters instead of failing', () => {
    const state = read('?query=heap&time=yesterday&view=pie&merge_from=5');
    expect([state.selection, state.view]).toEqual([null, 'both']);
  });

  it('orders a merge range given backwards', () => {
    expect(read('?merge_from=200&merge_to=100').selection).toEqual({ kind: 'merge', from: 100, to: 200 });
  });

  it('keeps compare mode with its own query for side b', () => {
    const state = read('?query=heap&time=10&series=heap%7Bjob%3D%22a%22%7D&compare=1&b_query=heap%7Bjob%3D%22b%22%7D&b_from=20&b_to=30');
    expect(state.compare).toEqual({ query: 'heap{job="b"}', b: { kind: 'merge', from: 20, to: 30 } });
    expect(roundTrip(state)).toEqual(state);
    expect(profileParams(state)).toEqual({
      mode: 'diff',
      mode_a: 'single',
      query_a: 'heap{job="a"}',
      time_a: 10,
      mode_b: 'merge',
      query_b: 'heap{job="b"}',
      from_b: 20,
      to_b: 30,
    });
  });

  it('asks for nothing until both sides of a compare are picked', () => {
    expect(profileParams(read('?query=heap&time=10&compare=1'))).toBeNull();
    expect(profileParams(read('?query=heap'))).toBeNull();
  });

  it('forgets the zoomed frame when another profile is picked, but not when the view changes', () => {
    const state = read('?query=heap&time=10&zoom=main%3Bwork');
    expect(patchQueryState(state, { view: 'table' }).zoom).toEqual(['main', 'work']);
    expect(patchQueryState(state, { selection: { kind: 'single', time: 10, series: null } }).zoom).toEqual(['main', 'work']);
    expect(patchQueryState(state, { selection: { kind: 'single', time: 20, series: null } }).zoom).toEqual([]);
    expect(patchQueryState(state, { sampleType: 'alloc_space' }).zoom).toEqual([]);
    expect(patchQueryState(state, { query: 'profile' }).zoom).toEqual([]);
  });
});
