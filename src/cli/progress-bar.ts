import cliProgress from 'cli-progress';

/** How long a run goes before a bar appears (short runs print nothing but their result). */
const BAR_DELAY_MS = 1000;

/**
 * Progress of a long command on standard error. On a terminal: a bar (stage, percent, elapsed)
 * that appears once the run has lasted a second. Elsewhere (CI logs, pipes): one line per stage
 * with the elapsed time, never carriage-return animation.
 */
export class StageBar {
  private readonly started = performance.now();
  private bar: cliProgress.SingleBar | undefined;
  private timer: NodeJS.Timeout | undefined;
  private last = { stage: '', fraction: 0 };
  private readonly tty: boolean;

  constructor(
    private readonly prefix: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(stream.isTTY);
    if (this.tty) {
      this.timer = setTimeout(() => this.show(), BAR_DELAY_MS);
      this.timer.unref();
    }
  }

  /** Seconds since the start, one decimal. */
  elapsed(): string {
    return ((performance.now() - this.started) / 1000).toFixed(1);
  }

  update(stage: string, fraction: number): void {
    const changed = stage !== this.last.stage;
    this.last = { stage, fraction };
    if (this.tty) {
      this.bar?.update(Math.round(fraction * 1000), { stage });
    } else if (changed && stage !== 'done') {
      this.stream.write(`${this.prefix}: [${this.elapsed()}s] ${stage}\n`);
    }
  }

  /** Stops the bar (if shown) and prints a final line. */
  done(message: string): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.bar) {
      this.bar.update(1000, { stage: 'done' });
      this.bar.stop();
    }
    this.stream.write(`${this.prefix}: [${this.elapsed()}s] ${message}\n`);
  }

  /** Stops the bar without a message (on errors). */
  abort(): void {
    if (this.timer) clearTimeout(this.timer);
    this.bar?.stop();
  }

  private show(): void {
    this.bar = new cliProgress.SingleBar(
      {
        stream: this.stream,
        format: `${this.prefix} [{bar}] {percentage}% | {duration_formatted} | {stage}`,
        hideCursor: true,
        clearOnComplete: false,
        barsize: 30,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(1000, Math.round(this.last.fraction * 1000), { stage: this.last.stage });
  }
}
