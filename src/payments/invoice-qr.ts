import QRCode from 'qrcode';

/**
 * The invoice as an SVG QR code, rendered on the server. The `lightning:` URI is upper-cased so
 * the code can use QR's compact alphanumeric mode (BOLT 11 is case-insensitive).
 */
export async function invoiceQrSvg(paymentRequest: string): Promise<string> {
  return QRCode.toString(`lightning:${paymentRequest}`.toUpperCase(), {
    type: 'svg',
    errorCorrectionLevel: 'L',
    margin: 2,
  });
}
