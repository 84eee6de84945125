/** Tests are JavaScript: the n8n community lint rules apply to every .ts file and forbid what test code needs. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.js'],
	moduleFileExtensions: ['ts', 'js', 'json'],
	transform: {
		'^.+\\.ts$': [
			'ts-jest',
			{ tsconfig: { isolatedModules: true, module: 'commonjs' }, diagnostics: false },
		],
	},
	testTimeout: 30000,
	// `.localhost` names resolve to 127.0.0.1 (RFC 6761), as the emulator's V2 host names need.
	setupFiles: ['<rootDir>/tools/emulator/localhost-names.js'],
	reporters: ['default', '<rootDir>/test/helpers/summaryReporter.js'],
};
