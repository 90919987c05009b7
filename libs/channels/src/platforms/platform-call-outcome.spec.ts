import { failedCall, jsonWithNumericIds, platformMessage } from './platform-call-outcome';

describe('platform call outcomes', () => {
  it.each([
    [429, true],
    [408, true],
    [500, true],
    [503, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [422, false],
  ])('HTTP %i is retried: %s', (statusCode, retry) => {
    expect(failedCall('Calling', { ok: false, statusCode, error: `The platform answered HTTP ${statusCode}`, body: '' })).toMatchObject({ status: 'failed', retry, statusCode });
  });

  it('retries a network failure but not a refused destination', () => {
    expect(failedCall('Calling', { ok: false, statusCode: null, error: 'unreachable' }).retry).toBe(true);
    expect(failedCall('Calling', { ok: false, statusCode: null, error: 'blocked', blocked: true }).retry).toBe(false);
  });

  it('keeps each platform’s own message', () => {
    expect(platformMessage('{"errors":"[API] Invalid API key or access token"}')).toBe('[API] Invalid API key or access token');
    expect(platformMessage('{"errors":{"line_items":["is invalid"]}}')).toBe('{"line_items":["is invalid"]}');
    expect(platformMessage('{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot view this resource.","data":{"status":401}}')).toBe(
      'Sorry, you cannot view this resource. (woocommerce_rest_cannot_view)',
    );
    expect(platformMessage('{"gw_err_resp":{"trace_id":"x","err_msg":"Token 不存在","err_code":4203}}')).toBe('Token 不存在 (4203)');
    expect(failedCall('Updating the order', { ok: false, statusCode: 401, error: 'The platform answered HTTP 401', body: '{"code":"x","message":"No."}' }).error).toBe(
      'Updating the order: The platform answered HTTP 401: No. (x)',
    );
  });

  it('writes the named ids as JSON numbers from their text, exactly', () => {
    expect(jsonWithNumericIds({ id: '9007199254740993', number: '123', nested: [{ location_id: '655441491' }] }, ['id', 'location_id'])).toBe(
      '{"id":9007199254740993,"number":"123","nested":[{"location_id":655441491}]}',
    );
  });
});
