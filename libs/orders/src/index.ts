export * from './orders.module';
export * from './orders.service';
export * from './orders.dto';
export * from './channel-order.lifecycle';
export * from './channel-order-cancellation';

export * from './orders.migration';
export * from './orders-cancellation.migration';
export * from './funds-exceptions';
export * from './funds-exception.migration';
export * from './order-metrics';
export * from './contacts-encrypted.migration';
export * from './channel-order-references';
