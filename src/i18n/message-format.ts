/**
 * A small ICU MessageFormat subset, compiled once per message and language: `{name}` placeholders,
 * `{n, plural, =0 {...} one {...} few {...} other {...}}` (with `#` for the number) and
 * `{x, select, a {...} other {...}}`. Plural categories come from Intl.PluralRules, so Hungarian
 * (one/other) and Romanian (one/few/other) follow CLDR. Apostrophes are plain text (no ICU quoting):
 * our texts use them as apostrophes, and no message needs a literal brace.
 */
export type MessageParams = Record<string, string | number>;

type Part =
  | { kind: 'text'; text: string }
  | { kind: 'arg'; name: string }
  | { kind: 'pound' }
  | { kind: 'plural' | 'select'; name: string; options: Record<string, Part[]> };

export type CompiledMessage = (params: MessageParams | undefined) => string;

export class MessageSyntaxError extends Error {}

function parse(src: string, pos: number, inPlural: boolean, stopAtBrace: boolean): [Part[], number] {
  const parts: Part[] = [];
  let text = '';
  const flush = () => {
    if (text) parts.push({ kind: 'text', text });
    text = '';
  };
  while (pos < src.length) {
    const c = src[pos];
    if (c === '}') {
      if (!stopAtBrace) throw new MessageSyntaxError(`Unexpected "}" at ${pos} in: ${src}`);
      flush();
      return [parts, pos];
    }
    if (c === '#' && inPlural) {
      flush();
      parts.push({ kind: 'pound' });
      pos++;
      continue;
    }
    if (c !== '{') {
      text += c;
      pos++;
      continue;
    }
    flush();
    const close = src.indexOf('}', pos);
    const comma = src.indexOf(',', pos);
    if (close < 0) throw new MessageSyntaxError(`Unclosed "{" at ${pos} in: ${src}`);
    if (comma < 0 || comma > close) {
      const name = src.slice(pos + 1, close).trim();
      if (!/^\w+$/.test(name)) throw new MessageSyntaxError(`Bad placeholder "${name}" in: ${src}`);
      parts.push({ kind: 'arg', name });
      pos = close + 1;
      continue;
    }
    const name = src.slice(pos + 1, comma).trim();
    const comma2 = src.indexOf(',', comma + 1);
    if (comma2 < 0) throw new MessageSyntaxError(`Bad argument at ${pos} in: ${src}`);
    const type = src.slice(comma + 1, comma2).trim();
    if (type !== 'plural' && type !== 'select')
      throw new MessageSyntaxError(`Unsupported argument type "${type}" in: ${src}`);
    pos = comma2 + 1;
    const options: Record<string, Part[]> = {};
    for (;;) {
      while (/\s/.test(src[pos] ?? '')) pos++;
      if (src[pos] === '}') {
        pos++;
        break;
      }
      const open = src.indexOf('{', pos);
      if (open < 0) throw new MessageSyntaxError(`Unclosed ${type} in: ${src}`);
      const selector = src.slice(pos, open).trim();
      if (!selector) throw new MessageSyntaxError(`Empty selector in: ${src}`);
      const [sub, end] = parse(src, open + 1, type === 'plural' || inPlural, true);
      options[selector] = sub;
      pos = end + 1;
    }
    if (!options.other) throw new MessageSyntaxError(`A ${type} needs an "other" case: ${src}`);
    parts.push({ kind: type, name, options });
  }
  if (stopAtBrace) throw new MessageSyntaxError(`Unclosed "{" in: ${src}`);
  flush();
  return [parts, pos];
}

export function parseMessage(src: string): Part[] {
  return parse(src, 0, false, false)[0];
}

/** Placeholder names a message uses (plural/select arguments included), sorted. */
export function placeholdersOf(src: string): string[] {
  const names = new Set<string>();
  const walk = (parts: Part[]) => {
    for (const p of parts) {
      if (p.kind === 'arg') names.add(p.name);
      else if (p.kind === 'plural' || p.kind === 'select') {
        names.add(p.name);
        Object.values(p.options).forEach(walk);
      }
    }
  };
  walk(parseMessage(src));
  return [...names].sort();
}

/** The plural arguments of a message with the categories each one offers. */
export function pluralCasesOf(src: string): { name: string; cases: string[] }[] {
  const out: { name: string; cases: string[] }[] = [];
  const walk = (parts: Part[]) => {
    for (const p of parts) {
      if (p.kind === 'plural') out.push({ name: p.name, cases: Object.keys(p.options) });
      if (p.kind === 'plural' || p.kind === 'select') Object.values(p.options).forEach(walk);
    }
  };
  walk(parseMessage(src));
  return out;
}

export function compileMessage(src: string, locale: string): CompiledMessage {
  const parts = parseMessage(src);
  const rules = new Intl.PluralRules(locale);
  // The common case, plain text: no work per call.
  if (parts.length === 0) return () => '';
  if (parts.length === 1 && parts[0].kind === 'text') {
    const only = parts[0].text;
    return () => only;
  }
  const render = (list: Part[], params: MessageParams, count: number | null): string => {
    let out = '';
    for (const p of list) {
      if (p.kind === 'text') out += p.text;
      else if (p.kind === 'arg') out += p.name in params ? String(params[p.name]) : `{${p.name}}`;
      else if (p.kind === 'pound') out += count === null ? '#' : String(count);
      else if (p.kind === 'plural') {
        const n = Number(params[p.name]);
        const exact = p.options[`=${n}`];
        const chosen = exact ?? p.options[rules.select(n)] ?? p.options.other;
        out += render(chosen, params, n);
      } else {
        const chosen = p.options[String(params[p.name])] ?? p.options.other;
        out += render(chosen, params, count);
      }
    }
    return out;
  };
  return (params) => render(parts, params ?? {}, null);
}
