/** The site's settings that pages show or enforce (from config.ts; fixed at start). */
export interface SiteSettings {
  /** Absolute URL of the site, without a trailing slash: feeds, sitemap, canonical and Open Graph URLs. */
  publicUrl: string;
  articleMinPriceSat: number;
  articleMaxPriceSat: number;
  upvoteMinSat: number;
}

/** A frozen copy with the public URL's trailing slashes removed. */
export function siteSettings(settings: SiteSettings): Readonly<SiteSettings> {
  return Object.freeze({ ...settings, publicUrl: settings.publicUrl.replace(/\/+$/, '') });
}
