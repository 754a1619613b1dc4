// Unit: report text escaping — markup characters become entities, characters XML cannot hold are
// dropped (a NUL from hostile input must not make the JUnit file unreadable), the rest is kept.
import { describe, expect, it } from 'vitest';
import { escapeXml } from './escape.ts';

describe('escapeXml', () => {
  it('escapes the five markup characters', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;',
    );
  });

  it('drops the characters XML 1.0 forbids and keeps tab, newline, return and real pairs', () => {
    expect(escapeXml('a\u0000b\u0007c\u001Fd\uFFFEe')).toBe('abcde');
    expect(escapeXml('lone \uD800 high, lone \uDC00 low')).toBe('lone  high, lone  low');
    expect(escapeXml('tab\tnew\nret\r 😀 é')).toBe('tab\tnew\nret\r 😀 é');
  });
});
