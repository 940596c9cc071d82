export * from './csv';
export * from './report-csv';
export * from './report-window';
export * from './reports.module';
