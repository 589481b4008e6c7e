/**
 * How busy the api's intake is, for a worker in the same process that gives the intake
 * way while a burst comes in (worker/intake-first.ts): the number of intakes in flight,
 * averaged over about a second, so that a short stall of a steady trickle (a slow write
 * of Temporal's) does not count as a burst, and the gaps between a client's requests do
 * not count as quiet.
 */
export class IntakeGauge {
  private inFlight = 0;
  private average = 0;
  private since = Date.now();

  /** Busy from `threshold` intakes in flight on average over `windowMs`. */
  constructor(
    readonly threshold: number,
    readonly windowMs = 1000,
  ) {}

  /** Counts one intake until the returned function is called (once; further calls change nothing). */
  begin(): () => void {
    this.step(+1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.step(-1);
    };
  }

  get busy(): boolean {
    return this.averageNow() >= this.threshold;
  }

  private step(by: number) {
    this.average = this.averageNow();
    this.since = Date.now();
    this.inFlight += by;
  }

  /** The count in flight, exponentially averaged over time (it was `inFlight` since `since`). */
  private averageNow(): number {
    const kept = Math.exp(-(Date.now() - this.since) / this.windowMs);
    return this.average * kept + this.inFlight * (1 - kept);
  }
}
