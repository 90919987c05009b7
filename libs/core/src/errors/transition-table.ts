import { IllegalTransitionError } from './domain-error';

/**
 * An explicit lifecycle: `allowed[from]` lists the states reachable from `from`.
 * `assert` throws a 409 naming the current state when a move is illegal.
 */
export class TransitionTable<State extends string> {
  constructor(
    private readonly resource: string,
    private readonly allowed: Record<State, readonly State[]>,
  ) {}

  can(from: State, to: State): boolean {
    return this.allowed[from]?.includes(to) ?? false;
  }

  /** States from which `to` may be reached. */
  sourcesOf(to: State): State[] {
    return (Object.keys(this.allowed) as State[]).filter((from) => this.can(from, to));
  }

  assert(from: State, to: State, action: string): void {
    if (!this.can(from, to)) throw new IllegalTransitionError(this.resource, from, action);
  }
}
