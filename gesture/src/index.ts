/** The gesture module shared by training, the service, the firmware tests and the tools. */
export * from './errors';
export * from './recording';
export * from './dataset';
export * from './window';
export * from './preprocess';
export * from './energy';
export * from './manifest';
export * from './quality';
export * from './separability';
export * from './golden';
export * from './registryRecord';
