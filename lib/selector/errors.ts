/**
 * A selector the user typed cannot be used. `position` is the 0-based offset of the problem in the text,
 * so an editor can underline it; `message` says what was expected there and repeats the position.
 */
export class SelectorError extends Error {
  override readonly name = 'SelectorError';
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}
