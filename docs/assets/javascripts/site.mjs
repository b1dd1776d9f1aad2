// The site's root URL, found from this file's own place (assets/javascripts/): the site may live under
// any base path (GitHub Pages' /<repository>/, an intranet's folder), so no page script writes "/".

export const SITE_ROOT = new URL("../../", import.meta.url);
