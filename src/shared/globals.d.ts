// The two encoding globals that both Node (>= 11) and every browser provide.
// src/shared compiles without the DOM and Node libraries, so it declares the
// little it uses. The web project, where lib.dom has them, sees src/shared only
// through its built declarations, which do not carry this file.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
