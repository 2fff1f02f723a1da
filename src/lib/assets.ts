import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { publicDir } from './paths';

export { publicDir };
export const htmxFile = require.resolve('htmx.org/dist/htmx.min.js');

/**
 * Fingerprinted URLs (?v=content hash) so static files can be cached for a year and still
 * change the moment a new version is deployed.
 */
export function assetUrls(): (name: string) => string {
  const cache = new Map<string, string>();
  return (name: string) => {
    let url = cache.get(name);
    if (!url) {
      const file = name === 'htmx.min.js' ? htmxFile : path.join(publicDir, name);
      const hash = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 12);
      url = `/static/${name}?v=${hash}`;
      cache.set(name, url);
    }
    return url;
  };
}
