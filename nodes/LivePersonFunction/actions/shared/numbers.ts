import { ItemInputError } from './itemErrors';

/**
 * A number option as it reaches the node: from the UI within its limits, or from an expression as
 * anything at all. Left empty it is undefined (the default applies); a number is rounded and
 * clamped to the bounds (so it can never reach a timer or a pool out of range); anything that is
 * not a finite number is refused with the field's name.
 */
export function boundedNumber(
	value: unknown,
	field: string,
	bounds: { min: number; max: number },
): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number)) {
		throw new ItemInputError(
			`${JSON.stringify(value) ?? String(value)} is not a number`,
			field,
			`Enter a number from ${bounds.min} to ${bounds.max}.`,
		);
	}
	return Math.min(bounds.max, Math.max(bounds.min, Math.round(number)));
}
