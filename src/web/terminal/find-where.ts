/**
 * How far back a Find match is, in words ("last line", "1 line back",
 * "6,002 lines back"). Pure: unit-tested in Node.
 */

/** `fromEnd` counts from the newest line: 1 is the last line. */
export function matchWhere(fromEnd: number): string {
  const back = fromEnd - 1;
  if (back <= 0) return 'last line';
  return `${back.toLocaleString('en')} line${back === 1 ? '' : 's'} back`;
}
