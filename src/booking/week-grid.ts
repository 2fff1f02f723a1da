/**
 * The week grid's HTML: per doctor a fieldset, days as columns, free starts as radios labelled
 * "Free HH:MM", every other slot saying why not. One function instead of a template loop over up
 * to ~1,300 cells (issue 11); the result of a week without a chosen slot is kept with the drawn
 * week (week-cache.ts), so a calendar view mostly sends a string it already has.
 */
import { escapeXML } from 'ejs';
import type { Translate } from '../i18n';
import { stateLabels, type DoctorWeek, type WeekDay } from './calendar';

export function weekGridHtml(a: {
  weeks: DoctorWeek[];
  days: readonly WeekDay[];
  t: Translate;
  tr: (english: string) => string;
  selectedSlot: number | null;
}): string {
  const esc = escapeXML;
  const label = Object.fromEntries(
    Object.entries(stateLabels).map(([state, english]) => [state, esc(a.tr(english))]),
  ) as Record<keyof typeof stateLabels, string>;
  const noSlots = esc(a.t('booking.noSlotsDay'));
  const out: string[] = [];
  for (const w of a.weeks) {
    out.push(`<fieldset class="cal"><legend>${esc(w.doctorName)}</legend><div class="week">\n`);
    w.days.forEach((d, i) => {
      out.push(`<div class="day"><h3>${esc(a.days[i].label)}</h3>`);
      if (!d.cells.length) out.push(`<p class="muted">${noSlots}</p>`);
      else {
        out.push('<ul>');
        for (const s of d.cells) {
          const time = esc(s.time);
          if (s.state === 'free') {
            const checked = s.id === a.selectedSlot ? ' checked' : '';
            out.push(
              `\n<li><input type="radio" name="slot" id="s${s.id}" value="${s.id}" required${checked}><label for="s${s.id}" class="free">${esc(a.t('booking.free', { time: s.time }))}</label></li>`,
            );
          } else if (s.state === 'reserved' || s.state === 'unavailable')
            out.push(`\n<li class="nb ${s.state}">${time} ${s.note ? esc(s.note) : label[s.state]}</li>`);
          else out.push(`\n<li class="nb">${time} ${label[s.state]}${s.note ? `: ${esc(s.note)}` : ''}</li>`);
        }
        out.push('</ul>');
      }
      out.push('</div>\n');
    });
    out.push('</div></fieldset>\n');
  }
  return out.join('');
}
