import { oauthEncode, oauthSignature, wooCommerceAuthorized } from './woocommerce-auth';

describe('WooCommerce authentication', () => {
  it('signs the OAuth 1.0 specification’s own example (Appendix A.5.1) to its published signature', () => {
    const signature = oauthSignature(
      'GET',
      'http://photos.example.net/photos?file=vacation.jpg&size=original',
      {
        oauth_consumer_key: 'dpf43f3p2l4k3l03',
        oauth_token: 'nnch734d00sl2jdk',
        oauth_signature_method: 'HMAC-SHA1',
        oauth_timestamp: '1191242096',
        oauth_nonce: 'kllo9940pd9333jh',
        oauth_version: '1.0',
      },
      'kd94hf93k423kf44',
      'pfkkdhi9sl3r4s00',
    );
    expect(signature).toBe('tR3+Ty81lMeYAr/Fid0kMTYa/WM=');
  });

  it('encodes as RFC 3986 does', () => {
    expect(oauthEncode("a b!*'()~-._")).toBe('a%20b%21%2A%27%28%29~-._');
    expect(oauthEncode('中')).toBe('%E4%B8%AD');
  });

  it('signs a plain-HTTP request one-legged, in the query string, with the consumer secret and an empty token secret', () => {
    const { url, headers } = wooCommerceAuthorized(
      'PUT',
      'http://127.0.0.1:8080/wp-json/wc/v3/orders/727',
      'ck_test_key',
      'cs_test_secret',
      () => 1_700_000_000_000,
      () => 'abc123',
    );
    const query = new URL(url).searchParams;
    expect(headers).toEqual({});
    expect(Object.fromEntries(query)).toEqual({
      oauth_consumer_key: 'ck_test_key',
      oauth_nonce: 'abc123',
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: '1700000000',
      oauth_signature: expect.any(String),
    });
    const { oauth_signature: signature, ...rest } = Object.fromEntries(query);
    expect(signature).toBe(oauthSignature('PUT', 'http://127.0.0.1:8080/wp-json/wc/v3/orders/727', rest, 'cs_test_secret'));
    // Another method or another secret signs differently.
    expect(signature).not.toBe(oauthSignature('GET', 'http://127.0.0.1:8080/wp-json/wc/v3/orders/727', rest, 'cs_test_secret'));
    expect(signature).not.toBe(oauthSignature('PUT', 'http://127.0.0.1:8080/wp-json/wc/v3/orders/727', rest, 'cs_other'));
  });

  it('uses HTTP Basic with the key pair over HTTPS, and leaves the URL alone', () => {
    const { url, headers } = wooCommerceAuthorized('GET', 'https://shop.example.com/wp-json/wc/v3/orders/1', 'ck_a', 'cs_b');
    expect(url).toBe('https://shop.example.com/wp-json/wc/v3/orders/1');
    expect(headers).toEqual({ authorization: `Basic ${Buffer.from('ck_a:cs_b').toString('base64')}` });
  });
});
