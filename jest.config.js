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
	reporters: ['default', '<rootDir>/test/helpers/summaryReporter.js'],
};
