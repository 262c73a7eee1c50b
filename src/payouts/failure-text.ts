/** LND's PaymentFailureReason as a sentence for the writer and the admin page. */
const TEXTS: Record<string, string> = {
  FAILURE_REASON_TIMEOUT: 'the payment timed out before a route worked',
  FAILURE_REASON_NO_ROUTE: 'no route to the recipient was found',
  FAILURE_REASON_ERROR: 'the node hit an unexpected error',
  FAILURE_REASON_INCORRECT_PAYMENT_DETAILS: 'the recipient refused it (unknown or already paid invoice, or wrong amount)',
  FAILURE_REASON_INSUFFICIENT_BALANCE: 'the site’s node does not have enough outbound balance right now',
  FAILURE_REASON_CANCELED: 'the payment was canceled',
};

export function failureText(reason: string): string {
  return TEXTS[reason] ?? `the payment failed (${reason})`;
}
