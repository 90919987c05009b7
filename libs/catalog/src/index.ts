export * from './catalog.module';
export * from './catalog.service';
export * from './catalog.dto';
export * from './catalog.entities';
export * from './catalog.migration';
export * from './signing-secrets.migration';
export * from './catalog.queries';
export * from './secrets-encrypted.migration';
