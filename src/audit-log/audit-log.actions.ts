/**
 * The audit actions the viewer has a name for (the catalogue's `audit.action.<code>` keys, see
 * src/i18n/messages/partner.en.ts). Any other action (a feature added later) shows its code.
 */
import { partnerEn } from '../i18n/messages/partner.en';

const prefix = 'audit.action.';

export const knownAuditActions: ReadonlySet<string> = new Set(
  Object.keys(partnerEn)
    .filter((k) => k.startsWith(prefix) && k !== `${prefix}unknown`)
    .map((k) => k.slice(prefix.length)),
);
