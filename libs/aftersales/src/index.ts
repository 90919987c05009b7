export * from './aftersales.module';
export * from './aftersales.migration';
export * from './returns.dto';
export * from './returns.service';
export * from './return-request.lifecycle';
