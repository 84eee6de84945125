'use strict';

const { src, dest, series } = require('gulp');
const { rm } = require('fs/promises');

/** Starts every build from an empty dist/, so no file of a removed source is ever published. */
async function clean() {
	await rm('dist', { recursive: true, force: true });
}

/** tsc compiles only TypeScript; node and credential icons are copied beside the compiled files. */
function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist/'));
}

exports.clean = clean;
exports['build:icons'] = copyIcons;
exports.default = series(clean, copyIcons);
