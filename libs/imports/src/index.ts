export * from './imports.dto';
export * from './imports.migration';
export * from './imports.module';
export * from './sheet-import-handlers';
export * from './sheet-import-requested.job';
export * from './sheet-imports.service';
