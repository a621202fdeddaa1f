// COPY text format (server/db/copy.ts): what a value becomes on the wire. Backslash, tab, newline and
// carriage return are the only characters the format gives a meaning to; quotes pass as they are.
import { describe, expect, it } from 'vitest';
import { copyField, copyLine } from '../../server/db/copy.ts';

describe('COPY text format', () => {
  it('escapes backslash, tab, newline and carriage return; quotes and other text pass unchanged', () => {
    expect(copyField('a\tb\nc\rd\\e"f\'g')).toBe('a\\tb\\nc\\rd\\\\e"f\'g');
    expect(copyField('螺栓 M8×30 "镀锌"')).toBe('螺栓 M8×30 "镀锌"');
    // json text as JSON.stringify writes it: its own backslashes doubled, nothing else touched
    expect(copyField(JSON.stringify([{ r: 'A\t"B"\\C\nD' }]))).toBe('[{"r":"A\\\\t\\\\"B\\\\"\\\\\\\\C\\\\nD"}]');
  });

  it('writes null as \\N and booleans as t/f; a row is its values joined by tabs, ended by a newline', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
    expect(copyField('')).toBe('');
    expect(copyLine(['x', null, true, false, 'a\tb'])).toBe('x\t\\N\tt\tf\ta\\tb\n');
  });
});
