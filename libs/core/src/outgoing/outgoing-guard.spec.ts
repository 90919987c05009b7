import dns from 'node:dns';
import { OutgoingAllowList } from './allow-list';
import { isBlockedAddress } from './blocked-address';
import { guardedLookup } from './guarded-lookup';
import { assertOutgoingUrl, outgoingUrlRefusal } from './outgoing-url';

const none = OutgoingAllowList.none;

describe('isBlockedAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private 10/8'],
    ['172.16.0.1', 'private 172.16/12'],
    ['172.31.255.255', 'private 172.16/12'],
    ['192.168.1.1', 'private 192.168/16'],
    ['169.254.169.254', 'link-local, cloud metadata'],
    ['169.254.0.1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.100.100.200', 'Alibaba Cloud metadata (CGNAT)'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'this network 0/8'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['192.0.0.1', 'reserved (IETF protocol assignments)'],
    ['192.0.2.1', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['240.0.0.1', 'reserved class E'],
    ['::1', 'IPv6 loopback'],
    ['[::1]', 'IPv6 loopback in brackets'],
    ['0:0:0:0:0:0:0:1', 'IPv6 loopback spelled out'],
    ['::', 'IPv6 unspecified'],
    ['fe80::1', 'IPv6 link-local'],
    ['febf::1', 'IPv6 link-local (end of fe80::/10)'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fd00:ec2::254', 'AWS metadata over IPv6'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex'],
    ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['::ffff:0:127.0.0.1', 'IPv4-translated loopback'],
    ['::127.0.0.1', 'IPv4-compatible loopback'],
    ['::7f00:1', 'IPv4-compatible loopback, hex'],
    ['64:ff9b::7f00:1', 'NAT64 of loopback'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 of the metadata address'],
    ['64:ff9b:1::a00:1', 'local-use NAT64 of 10.0.0.1'],
    ['2002:7f00:1::', '6to4 of loopback'],
    ['2002:c0a8:101::1', '6to4 of 192.168.1.1'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo (refused whatever it embeds)'],
    ['2001:db8::1', 'IPv6 documentation'],
    ['100::1', 'IPv6 discard'],
    ['not-an-address', 'unparseable: fail closed'],
    ['', 'empty: fail closed'],
  ])('blocks %s (%s)', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each([['8.8.8.8'], ['1.1.1.1'], ['47.96.0.1'], ['172.32.0.1'], ['100.128.0.1'], ['2400:3200::1'], ['2606:4700:4700::1111'], ['::ffff:8.8.8.8'], ['64:ff9b::808:808'], ['2002:808:808::1']])(
    'lets the public address %s through',
    (address) => {
      expect(isBlockedAddress(address)).toBe(false);
    },
  );
});

describe('outgoingUrlRefusal', () => {
  it.each([
    'http://127.0.0.1:5432/',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.100.100.200/latest/meta-data/',
    'http://[::1]/',
    'http://[0:0:0:0:0:0:0:1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://[fd00:ec2::254]/',
    'http://[fe80::1]/',
    'http://0x7f000001/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://127.1/',
    'http://0/',
    'http://0.0.0.0:8080/',
    'http://127.0.0.1.:8080/',
    'http://%31%32%37.0.0.1/',
    'http://①②⑦.0.0.1/',
    'http://10.0.0.1/',
    'http://192.168.0.1:8443/',
    'http://localhost:8080/',
    'http://LOCALHOST./',
    'http://erp.localhost/',
    'https://example.com:22/',
    'http://example.com:6379/',
    'http://example.com:25/',
    'http://user:secret@example.com/',
    'http://user@example.com/',
    'ftp://example.com/',
    'file:///etc/passwd',
    'gopher://example.com:70/',
    'http://[fe80::1%25eth0]/',
    'not a url',
  ])('refuses %s', (url) => {
    expect(outgoingUrlRefusal(url, none)).toEqual(expect.any(String));
  });

  it.each(['https://erp.example.com/hooks', 'http://8.8.8.8:8080/', 'https://[2606:4700:4700::1111]/x', 'http://erp.example.com:9000/', 'https://203.119.0.1:18443/'])('accepts %s', (url) => {
    expect(outgoingUrlRefusal(url, none)).toBeUndefined();
  });

  it('lets the operator allow addresses, ranges and names, but never a blocked port', () => {
    const allow = OutgoingAllowList.parse(' 127.0.0.1, 10.20.0.0/16 ,fd12::/16, erp.intranet.example.,localhost ');
    expect(outgoingUrlRefusal('http://127.0.0.1:40123/hook', allow)).toBeUndefined();
    expect(outgoingUrlRefusal('http://0x7f000001:40123/hook', allow)).toBeUndefined();
    expect(outgoingUrlRefusal('http://10.20.3.4/', allow)).toBeUndefined();
    expect(outgoingUrlRefusal('http://[fd12::5]/', allow)).toBeUndefined();
    expect(outgoingUrlRefusal('http://[::ffff:127.0.0.1]/', allow)).toBeUndefined();
    expect(outgoingUrlRefusal('http://localhost:3000/', allow)).toBeUndefined();
    expect(outgoingUrlRefusal('http://127.0.0.2/', allow)).toEqual(expect.any(String));
    expect(outgoingUrlRefusal('http://10.21.0.1/', allow)).toEqual(expect.any(String));
    expect(outgoingUrlRefusal('http://[::1]/', allow)).toEqual(expect.any(String));
    expect(outgoingUrlRefusal('http://169.254.169.254/', allow)).toEqual(expect.any(String));
    expect(outgoingUrlRefusal('http://127.0.0.1:5432/', allow)).toBe('may not use port 5432');
  });

  it('refuses a bad allow-list entry by name', () => {
    expect(() => OutgoingAllowList.parse('127.0.0.1,10.0.0.0/33')).toThrow('"10.0.0.0/33" is not a CIDR range');
    expect(() => OutgoingAllowList.parse('erp_1 intranet')).toThrow('"erp_1 intranet" is neither an address, a CIDR range nor a host name');
    expect(OutgoingAllowList.parse('').empty).toBe(true);
  });

  it('throws a 400 naming the field, with the code blocked_destination', () => {
    expect(() => assertOutgoingUrl('http://[::1]:8080/', 'erpWebhookUrl', none)).toThrow(
      expect.objectContaining({ kind: 'invalid', code: 'blocked_destination', details: [{ field: 'erpWebhookUrl', reason: 'points at an address outgoing calls may not reach' }] }),
    );
    expect(() => assertOutgoingUrl(undefined, 'url', none)).not.toThrow();
  });
});

describe('guardedLookup', () => {
  type Answer = { address: string; family: number }[];
  const stubDns = (answers: Record<string, Answer>) =>
    jest.spyOn(dns, 'lookup').mockImplementation(((hostname: string, _options: unknown, callback: (error: Error | null, addresses: Answer) => void) => {
      const answer = answers[hostname];
      if (answer) callback(null, answer);
      else callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    }) as never);

  const resolveWith = (allow: OutgoingAllowList, hostname: string, all = false) =>
    new Promise<{ error: (Error & { code?: string }) | null; result: unknown }>((done) =>
      guardedLookup(allow)(hostname, { all }, (error: (Error & { code?: string }) | null, address: unknown, family?: number) => done({ error, result: all ? address : { address, family } })),
    );

  afterEach(() => jest.restoreAllMocks());

  it('refuses a name when any of its addresses is blocked, and hands over exactly the checked addresses otherwise', async () => {
    stubDns({
      'erp.blocked.test': [{ address: '127.0.0.2', family: 4 }],
      'metadata.blocked.test': [{ address: '169.254.169.254', family: 4 }],
      'mixed.blocked.test': [
        { address: '8.8.8.8', family: 4 },
        { address: '::ffff:10.0.0.1', family: 6 },
      ],
      'erp.public.test': [
        { address: '8.8.4.4', family: 4 },
        { address: '2001:4860:4860::8844', family: 6 },
      ],
    });
    for (const name of ['erp.blocked.test', 'metadata.blocked.test', 'mixed.blocked.test']) {
      const { error } = await resolveWith(none, name);
      expect(error).toMatchObject({ code: 'blocked_destination' });
    }
    expect(await resolveWith(none, 'erp.public.test')).toEqual({ error: null, result: { address: '8.8.4.4', family: 4 } });
    expect(await resolveWith(none, 'erp.public.test', true)).toEqual({
      error: null,
      result: [
        { address: '8.8.4.4', family: 4 },
        { address: '2001:4860:4860::8844', family: 6 },
      ],
    });
    expect((await resolveWith(none, 'missing.test')).error).toMatchObject({ code: 'ENOTFOUND' });
  });

  it('lets allowed addresses and allowed names through', async () => {
    stubDns({ 'erp.intranet.example': [{ address: '10.9.9.9', family: 4 }], 'sink.test': [{ address: '127.0.0.1', family: 4 }], 'other.test': [{ address: '127.0.0.2', family: 4 }] });
    const allow = OutgoingAllowList.parse('127.0.0.1,erp.intranet.example');
    expect((await resolveWith(allow, 'erp.intranet.example')).error).toBeNull();
    expect((await resolveWith(allow, 'sink.test')).error).toBeNull();
    expect((await resolveWith(allow, 'other.test')).error).toMatchObject({ code: 'blocked_destination' });
  });
});
