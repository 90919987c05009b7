import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { isId } from '@gongxiao/core';
import { Shop } from '../channels.entities';
import { PlatformShop } from './platform-adapter';
import { platformShopOf } from './platform-shops';

/** Platform shops and their credentials, for the api's webhook routes and the worker's outbound calls. */
@Injectable()
export class PlatformShopsService {
  constructor(private readonly em: EntityManager) {}

  /** The shop with its credentials opened; null when there is no such shop or it is a native one. */
  async platformShopForSystem(shopId: string): Promise<PlatformShop | null> {
    if (!isId(shopId)) return null;
    const shop = await this.em.fork().findOne(Shop, { id: BigInt(shopId).toString() });
    return shop ? platformShopOf(shop) : null;
  }
}
