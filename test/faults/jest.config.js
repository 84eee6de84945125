/**
 * The fault matrix: one row per LivePerson fault, each a real `n8n execute` of 20 items against the emulator.
 * `npx jest --config test/faults/jest.config.js`; prints the matrix at the end, exits non-zero on a failed row.
 */
module.exports = {
	rootDir: '../..',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/faults'],
	testMatch: ['**/*.faults.js'],
	testTimeout: 600000,
	maxWorkers: 1,
	reporters: ['default', '<rootDir>/test/helpers/summaryReporter.js'],
};
