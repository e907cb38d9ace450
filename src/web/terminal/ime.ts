/**
 * Typing from on-screen keyboards, through xterm's hidden textarea.
 *
 * xterm.js 6 reads composed text (Android keyboards compose every word;
 * swipe typing, autocorrect and suggestions too) in its CompositionHelper by
 * offsets into the textarea: a composition is assumed to start at the end of
 * the text and to reach the shell only at compositionend. Android breaks both
 * assumptions: after a backspace the keyboard re-opens the previous word as a
 * composition (and shortening it sends nothing, so deleted letters stay in
 * the shell), and an autocorrect or tapped suggestion replaces a word that
 * was already sent (insertReplacementText, or a recomposition in the middle),
 * which xterm ignores or sends as a tail. Plain `input` events are also read
 * twice on some paths (keydown 229 plus input).
 *
 * So this takes the textarea over, ahead of xterm (capture listeners on an
 * ancestor that stop composition and input events before xterm sees them):
 * the textarea's text is treated as the tail of the line the shell has,
 * and after every change the difference is sent as the edit a person would
 * type — DELs back to the first changed character, then the new text
 * (textEdit in keys.ts). Each change arrives once and in order, whether it
 * came as keys, compositions, replacements or deletions, and composing text
 * shows in the shell as it is typed. Real key presses (a hardware keyboard,
 * Enter, arrows) stay with xterm; after any key that moves the line editor
 * the textarea is emptied, since its text no longer matches the line.
 *
 * The key bar's sticky Ctrl/Alt (keys.ts StickyModifiers) apply to the next
 * character typed here, whichever way it arrives.
 */
import { keySequence, modifyText, textEdit, type KeyName, type StickyModifiers } from './keys.js';

export interface TextareaInputOptions {
  /** Send text to the session (modifiers already applied). */
  send(data: string): void;
  modifiers: StickyModifiers;
  /** xterm's application cursor keys mode, for arrows sent with a sticky modifier. */
  appCursor(): boolean;
}

/** Above this many characters the textarea is emptied at the next word break (keeps keyboards' context small). */
const MAX_TEXT = 200;
const DEL = '\x7f';

/** KeyboardEvent.key → the key bar's names, for keys pressed while a sticky modifier waits. */
const NAMED: Record<string, KeyName> = {
  ArrowUp: 'Up', ArrowDown: 'Down', ArrowLeft: 'Left', ArrowRight: 'Right', Home: 'Home', End: 'End',
  PageUp: 'PageUp', PageDown: 'PageDown', Escape: 'Escape', Tab: 'Tab', Enter: 'Enter', Backspace: 'Backspace',
};

const COMPOSITION_EVENTS = ['compositionstart', 'compositionupdate', 'compositionend'] as const;

export class TextareaInput {
  /** The textarea's text as last sent (what the line has from it). */
  private sent = '';
  private composing = false;
  /** Empty the textarea once the composition in progress ends. */
  private resetPending = false;
  private readonly off: (() => void)[] = [];

  constructor(private readonly textarea: HTMLTextAreaElement, root: HTMLElement, private readonly o: TextareaInputOptions) {
    // xterm sets autocorrect/autocapitalize/spellcheck off; these keep password managers and autofill away too.
    textarea.setAttribute('autocomplete', 'off');
    textarea.setAttribute('autocorrect', 'off');
    textarea.setAttribute('autocapitalize', 'off');
    textarea.setAttribute('spellcheck', 'false');
    textarea.setAttribute('data-gramm', 'false');
    const on = <K extends keyof HTMLElementEventMap>(type: K, fn: (e: HTMLElementEventMap[K]) => void) => {
      const listener = (e: HTMLElementEventMap[K]) => {
        if (e.target === this.textarea) fn(e);
      };
      root.addEventListener(type, listener, true);
      this.off.push(() => root.removeEventListener(type, listener, true));
    };
    on('keydown', (e) => this.keydown(e));
    // A keypress reaches here after xterm sent its character (space, layouts' keyCode-0 keys, dead-key
    // results); xterm does not cancel it, so the browser would also insert it into the textarea and
    // the input event would send it twice.
    const keypress = (e: KeyboardEvent) => {
      if (e.target === this.textarea) e.preventDefault();
    };
    root.addEventListener('keypress', keypress);
    this.off.push(() => root.removeEventListener('keypress', keypress));
    for (const type of COMPOSITION_EVENTS) {
      on(type, (e) => {
        e.stopPropagation();
        if (type === 'compositionstart') this.composing = true;
        if (type === 'compositionend') {
          this.composing = false;
          this.sync();
          this.settle();
        }
      });
    }
    on('beforeinput', (e) => this.beforeinput(e));
    on('input', (e) => {
      e.stopPropagation();
      this.sync();
      if (!this.composing) this.settle();
    });
    // xterm pastes itself (bracketed, chunked) and empties the textarea.
    on('paste', () => this.reset());
    on('blur', () => {
      // xterm empties the textarea on blur; follow it.
      this.sent = '';
      this.composing = false;
      this.resetPending = false;
    });
  }

  /**
   * Forget the textarea's text: the line editor moved (Enter, an arrow, a
   * key bar key), so erasing or replacing that text later must not send
   * DELs. During a composition this waits for its end.
   */
  reset(): void {
    if (this.composing) {
      this.resetPending = true;
      return;
    }
    this.resetPending = false;
    this.sent = '';
    if (this.textarea.value !== '') this.textarea.value = '';
  }

  dispose(): void {
    for (const f of this.off) f();
    this.off.length = 0;
  }

  private keydown(e: KeyboardEvent): void {
    // 229 ("Unidentified", "Process"): an on-screen keyboard or IME at work; the input events that follow carry the text.
    if (e.isComposing || e.keyCode === 229 || e.key === 'Unidentified' || e.key === 'Process') {
      e.stopPropagation();
      return;
    }
    if (this.textarea.readOnly) return;
    const plain = !e.ctrlKey && !e.altKey && !e.metaKey;
    if (plain && this.o.modifiers.active) {
      const named = NAMED[e.key];
      if (named) return this.take(e, keySequence(named, { ...this.o.modifiers.consume(), shift: e.shiftKey }, this.o.appCursor()), true);
      if (Array.from(e.key).length === 1) return this.take(e, modifyText(e.key, this.o.modifiers.consume()), false);
    }
    if (plain && e.key === 'Backspace' && this.textarea.value !== '') {
      // Let the textarea lose the character itself: the input event sends the DEL and the text stays in step.
      e.stopPropagation();
      return;
    }
    // Any other key xterm sends itself; one that is not a character moves the line editor.
    if (!plain || Array.from(e.key).length !== 1) {
      if (!['Shift', 'Control', 'Alt', 'Meta', 'CapsLock'].includes(e.key)) this.reset();
    }
  }

  private take(e: KeyboardEvent, data: string, moves: boolean): void {
    e.preventDefault();
    e.stopPropagation();
    this.o.send(data);
    if (moves) this.reset();
  }

  private beforeinput(e: InputEvent): void {
    // Something else changed the textarea (xterm empties it on Enter, paste and blur): start from what is there.
    // (Before an input the textarea still holds the old text, which the last input event sent.)
    if (this.textarea.value !== this.sent) this.sent = this.textarea.value;
    if (e.inputType === 'insertLineBreak' || e.inputType === 'insertParagraph') {
      // A keyboard's Enter without a key event: send it as Enter and keep the newline out of the text.
      e.preventDefault();
      this.o.send(keySequence('Enter', this.o.modifiers.consume(), false));
      this.reset();
    }
  }

  /** Send whatever changed in the textarea since the last call. */
  private sync(): void {
    const now = this.textarea.value;
    if (now === this.sent) return;
    const { erase, insert } = textEdit(this.sent, now);
    this.sent = now;
    let data = DEL.repeat(erase);
    if (insert) {
      if (this.o.modifiers.active) {
        data += modifyText(insert, this.o.modifiers.consume());
        this.resetPending = true;
      } else {
        data += insert;
      }
    }
    // A newline inside committed text (dictation, a pasted suggestion) is Enter to a terminal.
    if (data.includes('\n')) {
      data = data.replace(/\r?\n/g, '\r');
      this.resetPending = true;
    }
    this.o.send(data);
  }

  /** Between compositions: do a reset that waited, and keep the text short. */
  private settle(): void {
    const v = this.textarea.value;
    if (this.resetPending || (v.length > MAX_TEXT && /\s$/.test(v))) this.reset();
  }
}
