/**
 * Reference numbers (issue 17): a partner may require its bookings to quote a reference (an
 * authorisation number), with a label and an optional pattern. The pure rules live here: is a
 * pattern safe to run, and is a typed reference acceptable for a partner's rule. The database
 * keeps references unique per partner among standing bookings (037_partner_references).
 */

export const referenceRules = {
  /** Longest reference accepted: also what bounds the pattern's work on each input. */
  maxLength: 64,
  maxPatternLength: 200,
  maxLabelLength: 100,
};

export const messages = {
  defaultLabel: 'Reference number',
  patternInvalid: 'This is not a valid regular expression.',
  patternTooLong: `The pattern may be at most ${referenceRules.maxPatternLength} characters.`,
  patternUnsafe:
    'This pattern could take very long to check (a repeated group that itself repeats or has alternatives, or a back-reference). Please simplify it.',
  required: (label: string) => `${label} is required for this partner\u2019s bookings.`,
  tooLong: (label: string) => `${label} may be at most ${referenceRules.maxLength} characters.`,
  badCharacters: (label: string) => `${label} contains characters that are not allowed.`,
  format: (label: string, pattern: string) => `${label} does not have the expected format: ${pattern}`,
  taken: (label: string, reference: string) =>
    `This ${label} is already quoted on another standing booking of this partner: ${reference}.`,
};

export type ReferenceRule = { required: boolean; label: string; pattern: string };

/** The field's name as the partner calls it, or the default. */
export function referenceLabel(rule: Pick<ReferenceRule, 'label'> | null): string {
  return rule?.label.trim() || messages.defaultLabel;
}

/** Does the partner ask for a reference at all (the field is shown when it is required or named)? */
export function asksForReference(rule: ReferenceRule | null): boolean {
  return !!rule && (rule.required || rule.label.trim() !== '' || rule.pattern !== '');
}

/**
 * Could this pattern backtrack catastrophically? Exponential time needs a quantified group that
 * contains a quantifier or an alternation (`(a+)+`, `(a|aa)*`), or a back-reference; everything
 * else is at worst polynomial, which the 64-character bound on inputs keeps small. So those
 * constructs are refused outright (a deliberately simple, conservative rule).
 */
export function isUnsafePattern(pattern: string): boolean {
  if (/\\[1-9]|\\k</.test(pattern)) return true;
  type Group = { quantified: boolean; alternation: boolean };
  const stack: Group[] = [];
  let inClass = false;
  // Whether the atom just closed is a group with repetition inside.
  let lastGroupRisky = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      lastGroupRisky = false;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      lastGroupRisky = false;
      continue;
    }
    if (c === '(') {
      stack.push({ quantified: false, alternation: false });
      lastGroupRisky = false;
      continue;
    }
    if (c === ')') {
      const g = stack.pop();
      lastGroupRisky = !!g && (g.quantified || g.alternation);
      // A group inside a group passes its repetition on.
      if (g && stack.length && lastGroupRisky) stack[stack.length - 1].quantified = true;
      continue;
    }
    if (c === '|') {
      if (stack.length) stack[stack.length - 1].alternation = true;
      lastGroupRisky = false;
      continue;
    }
    let many: boolean | null = null;
    if (c === '*' || c === '+') many = true;
    else if (c === '{') {
      const bound = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      // {1}, {0,1}: no repetition; {2}, {1,3}, {1,}: repetition.
      if (bound)
        many = bound[2] === undefined ? Number(bound[1]) > 1 : bound[3] === '' || Number(bound[3]) > 1;
    }
    if (many !== null) {
      if (many && lastGroupRisky) return true;
      if (many && stack.length) stack[stack.length - 1].quantified = true;
      lastGroupRisky = false;
      continue;
    }
    if (c !== '?') lastGroupRisky = false;
  }
  return false;
}

/** Why a pattern cannot be saved, or null when it can ('' means no pattern). */
export function patternProblem(pattern: string): string | null {
  if (pattern === '') return null;
  if (pattern.length > referenceRules.maxPatternLength) return messages.patternTooLong;
  try {
    new RegExp(pattern, 'u');
  } catch {
    return messages.patternInvalid;
  }
  return isUnsafePattern(pattern) ? messages.patternUnsafe : null;
}

/**
 * A typed reference checked against a partner's rule: the value to store (null when none was
 * given and none is required) or the message for the field.
 */
export function checkReference(
  rule: ReferenceRule | null,
  raw: string,
): { ok: true; value: string | null } | { ok: false; message: string } {
  const value = raw.trim();
  const label = referenceLabel(rule);
  if (!rule || !asksForReference(rule)) return { ok: true, value: null };
  if (value === '')
    return rule.required ? { ok: false, message: messages.required(label) } : { ok: true, value: null };
  if (value.length > referenceRules.maxLength) return { ok: false, message: messages.tooLong(label) };
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001F\u007F]/.test(value)) return { ok: false, message: messages.badCharacters(label) };
  if (rule.pattern && patternProblem(rule.pattern) === null && !new RegExp(rule.pattern, 'u').test(value))
    return { ok: false, message: messages.format(label, rule.pattern) };
  return { ok: true, value };
}
