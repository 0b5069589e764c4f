/** The four PromQL label-matcher kinds. Regexes are fully anchored, as in Prometheus. */
export type MatchType = '=' | '!=' | '=~' | '!~';

/** One label matcher of a selector such as `heap{job="api"}`; `__name__` holds the profile type. */
export interface LabelMatcher {
  readonly name: string;
  readonly type: MatchType;
  readonly value: string;
}

/** A label set: label name to value. */
export type Labels = Readonly<Record<string, string>>;
