/** Why a file's bytes are not UTF-8 text, located in the file, in the words of someone who saved it. */
export interface SourceTextProblem {
  line: number;
  column: number;
  message: string;
  hint: string;
}

const SAVE_AS_UTF8 = 'Save the file as UTF-8 (without a byte order mark is best) and try again.';

/**
 * Decodes a YAML file: UTF-8, with an optional UTF-8 byte order mark. UTF-16/32 and other encodings
 * are refused with a location instead of being read as garbage. Pure (no node:fs).
 */
export function decodeSourceText(bytes: Uint8Array): { text: string } | { problem: SourceTextProblem } {
  const at = (message: string, line = 1, column = 1) => ({ problem: { line, column, message, hint: SAVE_AS_UTF8 } });
  if (bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0) return at('the file is UTF-32 text; Osiris reads UTF-8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return at('the file is UTF-16 (little-endian) text; Osiris reads UTF-8');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return at('the file is UTF-16 (big-endian) text; Osiris reads UTF-8');
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const nul = bytes.indexOf(0, start);
  if (nul >= 0) {
    const { line, column } = position(bytes, start, nul);
    return at('the file contains NUL bytes: it is binary or UTF-16 text, not UTF-8 YAML', line, column);
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start)) };
  } catch {
    const bad = firstInvalidUtf8(bytes, start);
    const { line, column } = position(bytes, start, bad);
    return at('the file is not valid UTF-8 here (saved as Latin-1 or Windows-1252?)', line, column);
  }
}

function position(bytes: Uint8Array, start: number, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = start;
  for (let i = start; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = new TextDecoder().decode(bytes.subarray(lineStart, offset)).length + 1;
  return { line, column };
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (WHATWG rules). */
function firstInvalidUtf8(bytes: Uint8Array, start: number): number {
  let i = start;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return i;
}
