/**
 * translateHtml (`th()` in the views, printed unescaped with <%-): the message and every value
 * are escaped; only the catalogue's own <b>...</b> becomes <strong>. Values are people's names and
 * partner names typed by users, so markup in them must stay text.
 */
import { translateHtml } from '../src/i18n';

describe('translateHtml', () => {
  it('escapes a value that looks like markup and keeps the catalogue emphasis', () => {
    const html = translateHtml('en', 'stats.partnerOnlyFigures', {
      partner: '<script>alert(1)</script><b>x</b>"\'&',
    });
    expect(html).toBe(
      'These are the figures of <strong>&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;&#34;&#39;&amp;</strong> only.',
    );
    expect(html).not.toContain('<script');
  });

  it('does not let a value smuggle in another value marker or a second pass', () => {
    const html = translateHtml('hu', 'booking.reservedUntil', {
      until: '\u00001\u0000<i>',
      left: '<img src=x>',
    });
    expect(html).not.toMatch(/<i>|<img/);
    expect(html).toContain('&lt;img src=x&gt;');
    expect(html).toContain('&lt;i&gt;');
  });

  it('escapes in every language', () => {
    for (const lang of ['en', 'hu', 'ro'] as const) {
      const html = translateHtml(lang, 'booking.bookingFor', { name: '<a href="javascript:x">Kovács</a>' });
      expect(html).toContain('&lt;a href=&#34;javascript:x&#34;&gt;Kovács&lt;/a&gt;');
      expect(html).not.toContain('<a ');
    }
  });
});
