/**
 * Runs the Pine emulator in a child process for the soak (scripts/soak.ts), so that the soak's
 * memory figures measure the n8n engine and the package, not the emulator's growing call table.
 * Controlled over IPC: { id, op, args } in, { id, result } or { id, error } out.
 */
import { start } from '../emulator/server';
import type { EmulatorOptions, EmulatorUser, FaultPlan, CallScript } from '../emulator/types';

export type HostRequest =
	| { id: number; op: 'faults'; plan: FaultPlan }
	| { id: number; op: 'clearFaults' }
	| { id: number; op: 'scriptNumber'; phone: string; script: CallScript }
	| { id: number; op: 'summary' }
	| { id: number; op: 'inProgress'; userId: string }
	| { id: number; op: 'stop' };

export interface HostSummary {
	postsReceived: number;
	callsCreated: number;
	maxConcurrency: Record<string, number>;
	/** Dialed number of every call created, in order. */
	dialed: string[];
	openStreams: number;
}

async function main(): Promise<void> {
	const options = JSON.parse(process.env.SOAK_EMULATOR_OPTIONS ?? '{}') as EmulatorOptions;
	const user = JSON.parse(process.env.SOAK_EMULATOR_USER ?? 'null') as EmulatorUser | null;
	const emulator = await start(options);
	if (user) emulator.controls.addUser(user);
	const { controls } = emulator;

	process.on('message', (message: HostRequest): void => {
		const reply = (result: unknown): void => void process.send?.({ id: message.id, result });
		try {
			switch (message.op) {
				case 'faults':
					controls.faults(message.plan);
					return reply(true);
				case 'clearFaults':
					controls.clearFaults();
					return reply(true);
				case 'scriptNumber':
					controls.scriptNumber(message.phone, message.script);
					return reply(true);
				case 'inProgress':
					return reply(controls.inProgress(message.userId));
				case 'summary': {
					const stats = controls.stats();
					const summary: HostSummary = {
						postsReceived: stats.postsReceived,
						callsCreated: stats.callsCreated,
						maxConcurrency: stats.maxConcurrency,
						dialed: controls.calls().map((call) => String(call.request.dialed_number)),
						openStreams: controls.openStreams?.() ?? 0,
					};
					return reply(summary);
				}
				case 'stop':
					void emulator.stop().then(() => {
						reply(true);
						process.disconnect?.();
					});
					return undefined;
			}
		} catch (error) {
			process.send?.({ id: message.id, error: error instanceof Error ? error.message : String(error) });
		}
		return undefined;
	});
	process.send?.({ id: 0, result: { url: emulator.url, port: emulator.port } });
}

void main();
