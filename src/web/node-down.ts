/**
 * The one wording of "the Lightning node cannot be reached": the article page's panel and the
 * 503 page the error handler (src/app.ts) makes of a LightningUnavailableError say the same.
 */
export const NODE_DOWN = Object.freeze({
  title: 'Payments unavailable',
  heading: 'Payments are unavailable right now',
  message: 'The payment service is unavailable: we could not reach our Lightning node. Nothing was charged. Please try again in a minute.',
});
