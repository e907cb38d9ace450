// The two encoding globals that both Node (>= 11) and every browser provide.
// src/shared compiles without the DOM and Node libraries, so it declares the
// little it uses. Excluded from the web project, where lib.dom has them.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
