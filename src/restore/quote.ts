/**
 * Command lines for a person's shell prompt: argv quoted so that the shell
 * (sh, bash, zsh) reads back exactly those words. Restore types these, so
 * text with control characters is refused (a newline typed at a prompt
 * would run the line so far) instead of being quoted.
 */

const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One word, quoted only when it needs it: 'it'\''s', "" → ''. */
export function quoteWord(w: string): string {
  if (PLAIN.test(w)) return w;
  return `'${w.replaceAll("'", `'\\''`)}'`;
}

/** True when text holds a control character (C0, DEL, C1) or a line/paragraph separator. */
export function hasControl(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(text);
}

/** argv as a command line; null when a word holds a control character. */
export function commandLine(argv: readonly string[]): string | null {
  if (argv.some(hasControl)) return null;
  return argv.map(quoteWord).join(' ');
}

/** A pipeline's parts joined with " | "; null when any part cannot be typed. */
export function pipelineLine(commands: readonly (readonly string[])[]): string | null {
  const parts = commands.map(commandLine);
  return parts.some((p) => p === null) ? null : parts.join(' | ');
}
