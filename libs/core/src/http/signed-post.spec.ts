import diagnostics from 'node:diagnostics_channel';
import dns from 'node:dns';
import { Socket } from 'node:net';
import { OutgoingAllowList } from '../outgoing/allow-list';
import { ENDPOINT_BLOCKED, postSignedEvent } from './signed-post';

/** No test here opens a socket: every destination is refused before one is created. */
describe('postSignedEvent refuses blocked destinations before any socket exists', () => {
  const sockets: Socket[] = [];
  const recordSocket = ({ socket }: { socket: Socket }) => sockets.push(socket);

  beforeAll(() => diagnostics.subscribe('net.client.socket', recordSocket as never));
  afterAll(() => diagnostics.unsubscribe('net.client.socket', recordSocket as never));
  afterEach(() => jest.restoreAllMocks());

  it.each([
    'http://127.0.0.1:8080/',
    'http://0x7f000001:8080/',
    'http://2130706433:8080/',
    'http://0177.0.0.1:8080/',
    'http://127.1:8080/',
    'http://[::1]:8080/',
    'http://[0:0:0:0:0:0:0:1]:8080/',
    'http://[::ffff:127.0.0.1]:8080/',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.100.100.200/latest/meta-data/',
    'http://[fd00:ec2::254]/latest/meta-data/',
    'http://10.0.0.1/',
    'http://localhost:8080/',
    'http://erp.example.com:5432/',
    'http://user:pw@erp.example.com/',
    'ftp://erp.example.com/',
  ])('%s', async (url) => {
    const lookup = jest.spyOn(dns, 'lookup');
    const outcome = await postSignedEvent(url, 'whsec_test', 'test.event', 'event-1', { hello: 'world' }, 1000, OutgoingAllowList.none);
    expect(outcome).toMatchObject({ ok: false, statusCode: null, error: ENDPOINT_BLOCKED, blocked: true });
    expect(lookup).not.toHaveBeenCalled();
    // Not even the server-log detail repeats a password from the URL.
    expect(JSON.stringify(outcome)).not.toContain('pw@');
    expect(sockets).toEqual([]);
  });

  it('refuses a name that resolves to a blocked address: the socket never connects', async () => {
    jest
      .spyOn(dns, 'lookup')
      .mockImplementation(((_hostname: string, _options: unknown, callback: (error: null, addresses: { address: string; family: number }[]) => void) =>
        callback(null, [{ address: '127.0.0.1', family: 4 }])) as never);
    const attempts: string[] = [];
    const watch = ({ socket }: { socket: Socket }) => socket.on('connectionAttempt', (address: string) => attempts.push(address));
    diagnostics.subscribe('net.client.socket', watch as never);
    try {
      const outcome = await postSignedEvent('http://erp.loopback.test:8080/hook', 'whsec_test', 'test.event', 'event-2', {}, 1000, OutgoingAllowList.none);
      expect(outcome).toMatchObject({ ok: false, statusCode: null, error: ENDPOINT_BLOCKED, blocked: true });
      expect((outcome as { detail?: string }).detail).toContain('127.0.0.1');
      expect(attempts).toEqual([]);
    } finally {
      diagnostics.unsubscribe('net.client.socket', watch as never);
      sockets.splice(0);
    }
  });
});
