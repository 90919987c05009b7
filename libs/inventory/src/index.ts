export * from './inventory.module';
export * from './inventory.service';
export * from './inventory.dto';
export * from './inventory.migration';
export * from './stock-updates.service';
export * from './stock-updates.dto';
export * from './stock-updates.migration';
