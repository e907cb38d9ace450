/**
 * Text from outside (a server's error page, a peer's answer) made safe to
 * show on a terminal in one line: every run of whitespace is one space and
 * every other control character (C0, DEL, C1: what starts an escape
 * sequence, a title change, a clipboard write) is U+FFFD. A terminal that
 * prints it shows the text and does nothing else.
 */
export function printable(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '\ufffd').trim();
}
