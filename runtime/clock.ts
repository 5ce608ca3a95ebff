// The only clock in Camau: commands read the time here and hand it to the engine.
export interface Clock {
  now(): string;
}

export const systemClock: Clock = { now: () => new Date().toISOString() };

/** A clock that moves only when told: tests and simulations. */
export class ManualClock implements Clock {
  constructor(private instant: string) {}
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
