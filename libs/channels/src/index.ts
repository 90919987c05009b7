export * from './channels.module';
export * from './channels.service';
export * from './channels.dto';
export * from './channels.entities';
export * from './channels.migration';
export * from './signing-secrets.migration';
export * from './secrets-encrypted.migration';
