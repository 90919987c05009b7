import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it('hides an invite code in the join and accept paths, and leaves other paths alone', () => {
    expect(redactUrl('/v1/partner-invites/K3QX7M2PZB5WJ4TRN6HD/join')).toBe('/v1/partner-invites/[redacted]/join');
    expect(redactUrl('/v1/partner-invites/k3qx7m2pzb5wj4trn6hd/accept?x=1')).toBe('/v1/partner-invites/[redacted]/accept?x=1');
    expect(redactUrl('/v1/partner-invites/12/revoke')).toBe('/v1/partner-invites/12/revoke');
    expect(redactUrl('/v1/partnerships')).toBe('/v1/partnerships');
    expect(redactUrl(undefined)).toBeUndefined();
  });
});
