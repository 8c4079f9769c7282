import os from 'node:os';

export interface MachineInfo {
	cpu: string;
	cores: number;
	memory: string;
	node: string;
	platform: string;
	date: string;
}

export function machineInfo(): MachineInfo {
	const cpus = os.cpus();
	return {
		cpu: cpus[0]?.model.trim() ?? 'unknown',
		cores: cpus.length,
		memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
		node: process.version,
		platform: `${os.type()} ${os.release()} ${os.arch()}`,
		date: new Date().toISOString(),
	};
}
