import fc from 'fast-check';
import { ACTORS, type World } from './world.ts';

/**
 * One kind of thing a person (or time) can do to Assay. `params` generates its inputs (actors by
 * name, things by index into what the world has created, so a shrunk sequence stays readable);
 * `run` performs it through the HTTP API. Refusals (4xx) are normal outcomes; a 5xx is recorded
 * by `act` and fails the run.
 */
export interface ActionSpec<P = unknown> {
  name: string;
  /** How often fast-check picks this action relative to the others. */
  weight: number;
  params: fc.Arbitrary<P>;
  run(w: World, p: P): Promise<void>;
}

/** One step of a sequence: an action's name and its parameters (plain JSON, so it prints and replays). */
export interface Step {
  action: string;
  params: Record<string, unknown>;
}

/** Declares an action with its parameter type inferred (the registry stores them untyped). */
export function action<P extends Record<string, unknown>>(spec: ActionSpec<P>): ActionSpec<P> {
  return spec;
}

/** An actor: usually one of `likely` (who may plausibly act), sometimes anyone at all. */
export function actorFrom(likely: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...likely) },
    { weight: 1, arbitrary: fc.constantFrom(...ACTORS) },
  );
}

/** Stewards: the bootstrap admin and the governance officers. */
export const STEWARDS = ['admin', 'gina', 'gabe'] as const;
/** Who signs and proposes decisions by role. */
export const SIGNERS = ['amy', 'abe', 'gina', 'gabe'] as const;
/** Who validates by role. */
export const VALIDATORS = ['vera', 'vic'] as const;
/** Who owns or develops models by role. */
export const MAKERS = ['olga', 'oscar', 'dora', 'dan'] as const;

export const DAY_MS = 86_400_000;

/** `now + days` on the world's clock, as ISO text. */
export function inDays(w: World, days: number): string {
  return new Date(w.t.clock.now().getTime() + days * DAY_MS).toISOString();
}
