// The only clock in Camau: commands read the time here and hand it to the engine.
export interface Clock {
  now(): string;
}

export const systemClock: Clock = { now: () => new Date().toISOString() };

/** A clock that moves only when told: tests and simulations. */
export class ManualClock implements Clock {
  private instant: string;
  /** Any instant Date.parse reads; kept in the one form systemClock gives (ISO with milliseconds, UTC), since the history hashes it as text. */
  constructor(instant: string) {
    this.instant = new Date(Date.parse(instant)).toISOString();
  }
  now(): string {
    return this.instant;
  }
  set(instant: string): void {
    this.instant = new Date(Date.parse(instant)).toISOString();
  }
  advance(ms: number): void {
    this.instant = new Date(Date.parse(this.instant) + ms).toISOString();
  }
}
