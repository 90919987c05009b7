export * from './orders.module';
export * from './orders.service';
export * from './orders.dto';
export * from './channel-order.lifecycle';

export * from './orders.migration';
