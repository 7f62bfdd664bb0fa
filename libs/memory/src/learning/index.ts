export * from './beta-sample';
export * from './thompson';
