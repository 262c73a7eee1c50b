/** Which addresses the site refuses to connect to in production (src/lib/address-guard.ts). */
import { ipv6Bytes, isForbiddenAddress, literalAddressRefusal } from '../../src/lib/address-guard';

describe('isForbiddenAddress', () => {
  test.each([
    // IPv4: loopback, private, shared, link-local, documentation, benchmarking, multicast, reserved
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['100.127.255.255', true],
    ['0.0.0.0', true],
    ['192.0.0.8', true],
    ['192.0.2.1', true],
    ['198.18.0.1', true],
    ['198.51.100.7', true],
    ['203.0.113.9', true],
    ['224.0.0.1', true],
    ['240.0.0.1', true],
    ['255.255.255.255', true],
    ['8.8.8.8', false],
    ['1.1.1.1', false],
    ['172.32.0.1', false],
    ['100.128.0.1', false],
    ['192.0.3.1', false],
    ['198.20.0.1', false],
    // IPv6: unspecified, loopback, link-local, site-local, unique-local, multicast, documentation
    ['::', true],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['fe80::1', true],
    ['fe80::1%eth0', true],
    ['febf::1', true],
    ['fec0::1', true],
    ['fc00::1', true],
    ['fd12:3456::1', true],
    ['ff02::1', true],
    ['2001:db8::1', true],
    ['2001::1', true], // Teredo
    ['3fff::1', true],
    ['100::1', true], // discard prefix
    // IPv4 inside IPv6: mapped (dotted and hex), compatible, NAT64, 6to4
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['::FFFF:10.0.0.1', true],
    ['::ffff:a9fe:a9fe', true],
    ['::127.0.0.1', true],
    ['64:ff9b::10.0.0.1', true],
    ['64:ff9b::7f00:1', true],
    ['2002:7f00:1::1', true],
    ['2002:c0a8:101::1', true],
    ['::ffff:1.1.1.1', false],
    ['::ffff:808:808', false],
    ['64:ff9b::8.8.8.8', false],
    ['2002:808:808::1', false],
    ['2001:4860:4860::8888', false],
    ['2606:4700:4700::1111', false],
    ['2a00:1450:4001:80b::200e', false],
    // not an address at all: refused
    ['', true],
    ['example.com', true],
    ['1:2:3', true],
  ])('%s forbidden: %s', (ip, forbidden) => {
    expect(isForbiddenAddress(ip)).toBe(forbidden);
  });
});

test('ipv6Bytes expands every spelling to the same 16 bytes', () => {
  const loop = [...Array<number>(15).fill(0), 1];
  expect(ipv6Bytes('::1')).toEqual(loop);
  expect(ipv6Bytes('0:0:0:0:0:0:0:1')).toEqual(loop);
  expect(ipv6Bytes('::ffff:127.0.0.1')).toEqual(ipv6Bytes('::ffff:7f00:1'));
  expect(ipv6Bytes('1::')).toEqual([0, 1, ...Array<number>(14).fill(0)]);
  expect(ipv6Bytes('not-an-address')).toBeNull();
});

test('literal addresses: refused only when guarded, named in the message with the setting that opens them', () => {
  const policy = { guard: true, allow: ['10.0.0.7'], allowSetting: 'WEBHOOK_ALLOWED_HOSTS' };
  expect(literalAddressRefusal(policy, '[::ffff:7f00:1]')).toBe(
    '::ffff:7f00:1 is a private or local address; add it to WEBHOOK_ALLOWED_HOSTS to allow it',
  );
  expect(literalAddressRefusal({ guard: true, allow: [] }, '127.0.0.1')).toBe('127.0.0.1 is a private or local address');
  expect(literalAddressRefusal(policy, '10.0.0.7')).toBeNull();
  expect(literalAddressRefusal(policy, '8.8.8.8')).toBeNull();
  expect(literalAddressRefusal(policy, 'example.com')).toBeNull();
  expect(literalAddressRefusal({ guard: false, allow: [] }, '127.0.0.1')).toBeNull();
});
