/**
 * What every request knows about authentication: the logged-in user's type and the login
 * messages. The login itself (passport strategy, throttle) lives in src/auth/.
 */
import type { CurrentUser } from './permissions';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends CurrentUser {}
  }
}

export const authMessages = {
  invalid: 'Wrong user name or password.',
  /** The wait is the Retry-After sent with it, in whole minutes ("about" once it is running down). */
  throttled: (seconds: number) => {
    if (seconds < 60) return `Too many failed logins. Please wait ${seconds} seconds and try again.`;
    const minutes = Math.max(1, Math.ceil(seconds / 60));
    const wait = minutes === 1 ? 'a minute' : `${minutes} minutes`;
    return `Too many failed logins. Please wait ${seconds % 60 === 0 ? wait : `about ${wait}`} and try again.`;
  },
};
