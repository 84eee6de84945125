import type { Icon, INodeProperties } from 'n8n-workflow';

/** What both credentials (app and user) show alike. Paths are relative to the credential files. */
export const CREDENTIAL_ICON: Icon = {
	light: 'file:../nodes/LivePersonFunction/livePersonFunction.svg',
	dark: 'file:../nodes/LivePersonFunction/livePersonFunction.dark.svg',
};

export const ACCOUNT_ID_FIELD: INodeProperties = {
	displayName: 'Account ID',
	name: 'accountId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '12345678',
	description: 'Your LivePerson account (site) ID, shown in Conversational Cloud',
};
