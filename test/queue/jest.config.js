/**
 * Queue mode: Redis, PostgreSQL, an n8n main instance and two workers on loopback, executions started by webhooks.
 * `npm run test:queue`; installs Redis/PostgreSQL from Debian's packages when missing.
 */
module.exports = {
	rootDir: '../..',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/queue'],
	testMatch: ['**/*.e2e.js'],
	testTimeout: 600000,
	maxWorkers: 1,
	reporters: ['default', '<rootDir>/test/helpers/summaryReporter.js'],
};
