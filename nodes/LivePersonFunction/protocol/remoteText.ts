/**
 * Text a remote host chose (a function's error message, code and logs) as errors repeat it: cut
 * short, because an answer can weigh megabytes and an error item says its message more than once.
 */
export const REMOTE_TEXT_MAX = 1000;
const MAX_LOG_ENTRIES = 20;

export function cutRemoteText(text: string, max = REMOTE_TEXT_MAX): string {
	return text.length <= max
		? text
		: `${text.slice(0, max)}… (${text.length - max} more characters not shown)`;
}

/** A function's log entries, the first few, each as it came when short and as cut text when not. */
export function cutErrorLogs(logs: unknown[]): unknown[] {
	const kept = logs.slice(0, MAX_LOG_ENTRIES).map((entry) => {
		const text = JSON.stringify(entry) ?? '';
		return text.length <= REMOTE_TEXT_MAX ? entry : cutRemoteText(text);
	});
	if (logs.length > MAX_LOG_ENTRIES)
		kept.push(`(${logs.length - MAX_LOG_ENTRIES} more log entries not shown)`);
	return kept;
}
