// Preloaded (`node --import`) into a real `assay serve` child process by the CLI end-to-end test:
// moves the process's wall clock forward by ASSAY_TEST_CLOCK_OFFSET_MS, so that "time passes" runs
// through the real server, its scheduler and the CLI. Nothing in src/ knows about it.
const offset = Number(process.env.ASSAY_TEST_CLOCK_OFFSET_MS ?? 0);
if (offset) {
  const RealDate = Date;
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offset;
    }
    // Dates made by native code (drivers) are still Dates.
    static [Symbol.hasInstance](value) {
      return value instanceof RealDate;
    }
  }
  globalThis.Date = ShiftedDate;
}
