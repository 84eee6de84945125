/** The end-to-end suite: real n8n (installed once into a cache folder), this package packed and installed in it. */
module.exports = {
	rootDir: '../..',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.js'],
	testTimeout: 600000,
	maxWorkers: 1,
	reporters: ['default', '<rootDir>/test/helpers/summaryReporter.js'],
};
