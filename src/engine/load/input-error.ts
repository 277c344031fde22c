/** Bad input to the engine (unreadable file, unknown column, invalid values); the CLI maps it to exit 2. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
