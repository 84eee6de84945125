/** Whether `key` is the object's own property: never a walk up to its prototype. */
export const hasOwn = (object: object, key: string) =>
	Object.prototype.hasOwnProperty.call(object, key);
