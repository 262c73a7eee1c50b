import type { Receipt } from './library-repo';

/** One CSV field: quoted when needed; a leading = + - @ is defused so a spreadsheet shows it as text. */
function cell(value: string | number | null): string {
  let s = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_HEADER = [
  'date',
  'kind',
  'article_id',
  'article_title',
  'amount_sat',
  'payment_hash',
  'preimage',
  'article_status',
  'hidden_reason',
];

export function receiptsCsv(receipts: Receipt[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const r of receipts) {
    lines.push(
      [
        r.settledAt.toISOString(),
        r.purpose === 'view' ? 'article' : 'upvote',
        r.articleId,
        r.title,
        r.amountSat,
        r.paymentHash,
        r.preimage,
        r.articleStatus === 'published' ? 'published' : 'hidden',
        r.hiddenReason,
      ]
        .map(cell)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
