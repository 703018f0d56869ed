// `locales/xx.json?portal`: the shared locale file cut down to the keys the page
// uses (PORTAL_LOCALE_KEYS in web/vite.config.ts); typed as PortalStrings in ./i18n.ts.
declare module '*.json?portal' {
  const strings: unknown;
  export default strings;
}
