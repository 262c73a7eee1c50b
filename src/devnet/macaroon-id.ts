/**
 * LND's macaroon identifier: the byte 0x03 (bakery Version3) followed by the protobuf message
 *   message MacaroonId { bytes nonce = 1; bytes storageId = 2; repeated Op ops = 3; }
 *   message Op { string entity = 1; repeated string actions = 2; }
 * A tiny hand-written codec; the format is fixed and pulling in a protobuf runtime is not worth it.
 */
export interface MacaroonOp {
  entity: string;
  actions: string[];
}

export interface MacaroonId {
  nonce: Buffer;
  storageId: Buffer;
  ops: MacaroonOp[];
}

const ID_VERSION = 3;

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

function field(num: number, data: Buffer): Buffer {
  return Buffer.concat([varint((num << 3) | 2), varint(data.length), data]);
}

export function encodeMacaroonId(id: MacaroonId): Buffer {
  const ops = id.ops.map((op) =>
    field(3, Buffer.concat([field(1, Buffer.from(op.entity)), ...op.actions.map((a) => field(2, Buffer.from(a)))])),
  );
  return Buffer.concat([Buffer.from([ID_VERSION]), field(1, id.nonce), field(2, id.storageId), ...ops]);
}

/** Yields [fieldNumber, bytes] for every length-delimited field; anything else is malformed. */
function* fields(buf: Buffer): Generator<[number, Buffer]> {
  let pos = 0;
  const readVarint = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= buf.length || shift > 28) throw new Error('malformed macaroon id');
      const b = buf[pos++];
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
  };
  while (pos < buf.length) {
    const key = readVarint();
    if ((key & 7) !== 2) throw new Error('malformed macaroon id');
    const len = readVarint();
    if (pos + len > buf.length) throw new Error('malformed macaroon id');
    yield [key >>> 3, buf.subarray(pos, pos + len)];
    pos += len;
  }
}

export function decodeMacaroonId(raw: Uint8Array): MacaroonId {
  const buf = Buffer.from(raw);
  if (buf.length === 0 || buf[0] !== ID_VERSION) throw new Error('unknown macaroon id version');
  const id: MacaroonId = { nonce: Buffer.alloc(0), storageId: Buffer.alloc(0), ops: [] };
  for (const [num, data] of fields(buf.subarray(1))) {
    if (num === 1) id.nonce = Buffer.from(data);
    else if (num === 2) id.storageId = Buffer.from(data);
    else if (num === 3) {
      const op: MacaroonOp = { entity: '', actions: [] };
      for (const [n, d] of fields(data)) {
        if (n === 1) op.entity = d.toString('utf8');
        else if (n === 2) op.actions.push(d.toString('utf8'));
      }
      id.ops.push(op);
    }
  }
  return id;
}
