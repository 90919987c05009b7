import { Injectable } from '@nestjs/common';
import { AppConfig, DomainError, LosslessJson, outgoingAllowListOf, parseLosslessJson, platformRequest } from '@gongxiao/core';
import { objectOf, textOf } from '../inbound-support';
import { PlatformShop, YouzanCredentials } from '../platform-adapter';
import { platformApiBaseOf } from '../platform-shops';

/** Where a Youzan trade's detail comes from when a push names only its tid. */
export abstract class YouzanTradeSource {
  /** The `data` of youzan.trade.get 4.0.0 ({full_order_info: …}), read without loss. */
  abstract fetchTrade(shop: PlatformShop, tid: string): Promise<LosslessJson>;
}

/** Youzan could not be asked: a 503, so that Youzan delivers the push again later. */
function unavailable(why: string): DomainError {
  return new DomainError('unavailable', 'platform_unavailable', `The trade detail could not be fetched from Youzan (${why}); deliver the push again later.`);
}

/**
 * The real source: a silent-authorization token (POST {apiBaseUrl}/auth/token), kept until shortly
 * before it expires, then POST {apiBaseUrl}/api/youzan.trade.get/4.0.0?access_token=… {tid}, both
 * through the guarded outgoing path.
 */
@Injectable()
export class YouzanOpenApiTradeSource extends YouzanTradeSource {
  private readonly tokens = new Map<string, { token: string; until: number }>();

  constructor(private readonly config: AppConfig) {
    super();
  }

  async fetchTrade(shop: PlatformShop, tid: string): Promise<LosslessJson> {
    const base = platformApiBaseOf(shop).replace(/\/+$/, '');
    const token = await this.token(shop, base);
    const data = await this.call(`${base}/api/youzan.trade.get/4.0.0?access_token=${encodeURIComponent(token)}`, { tid });
    return data;
  }

  private async token(shop: PlatformShop, base: string): Promise<string> {
    const credentials = shop.credentials as YouzanCredentials;
    const key = `${shop.id}:${credentials.clientId}`;
    const cached = this.tokens.get(key);
    if (cached && cached.until > Date.now()) return cached.token;
    const data = objectOf(await this.call(`${base}/auth/token`, { client_id: credentials.clientId, client_secret: credentials.clientSecret, authorize_type: 'silent', grant_id: credentials.kdtId }));
    const token = textOf(data?.access_token);
    if (!token) throw unavailable('no access_token in the token answer');
    // `expires` is a Unix time in milliseconds; kept one minute less, and at most a day.
    const expires = Number(textOf(data?.expires) ?? 0);
    this.tokens.set(key, { token, until: Math.min(expires > 0 ? expires - 60_000 : Date.now() + 3600_000, Date.now() + 86_400_000) });
    return token;
  }

  private async call(url: string, body: Record<string, string>): Promise<LosslessJson> {
    const outcome = await platformRequest('POST', url, { 'content-type': 'application/json' }, JSON.stringify(body), this.config.WEBHOOK_TIMEOUT_MS, outgoingAllowListOf(this.config));
    if (!outcome.ok) throw unavailable(outcome.error);
    if (outcome.statusCode < 200 || outcome.statusCode >= 300) throw unavailable(`HTTP ${outcome.statusCode}`);
    let answer: LosslessJson;
    try {
      answer = parseLosslessJson(outcome.body);
    } catch {
      throw unavailable('the answer is not JSON');
    }
    const object = objectOf(answer);
    if (!object || object.success === false || (textOf(object.code) !== undefined && textOf(object.code) !== '200')) {
      throw unavailable(`Youzan answered ${textOf(object?.code) ?? '?'} ${textOf(object?.message) ?? ''}`.trim());
    }
    return object.data ?? null;
  }
}
