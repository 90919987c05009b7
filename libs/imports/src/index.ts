export * from './imports.dto';
export * from './imports.migration';
export * from './imports.module';
export * from './sheet-import-handlers';
export * from './sheet-import-requested.job';
export * from './sheet-imports.service';
export * from './import-runs.migration';
export { pruneImportFiles } from './sheet-import-rows';
export * from './sheet-import-run';
