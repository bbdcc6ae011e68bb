/** One Jest run for every part; each part keeps its tests in its own `test/` folder. */
module.exports = {
  testEnvironment: '<rootDir>/jest.environment.js',
  roots: ['<rootDir>/gesture', '<rootDir>/training', '<rootDir>/service', '<rootDir>/infra', '<rootDir>/firmware', '<rootDir>/datasync', '<rootDir>/delivery', '<rootDir>/azureml'],
  testMatch: ['**/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testTimeout: 60000,
};
