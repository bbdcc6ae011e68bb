/** An input that cannot become a gesture window; the message is safe to show to the caller. */
export class WindowError extends Error {
  override readonly name = 'WindowError';
}

/** A recording file that cannot be used; the reason is shown to the person who made it. */
export class RecordingError extends Error {
  override readonly name = 'RecordingError';
}
