import { randomUUID } from 'node:crypto';
import { open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import { unlessFailsWith } from './fs-errors';
import { encodeRecord, parseRecord, type RegistryRecord } from './records';

const NEWLINE = 0x0a;
const FORMAT_VERSION = 1;
/** The header line is far shorter; reading this much always gets all of it. */
const HEADER_PROBE_BYTES = 512;
const FILE_MODE = 0o600;

export interface NewRecords {
	/** The file was replaced (compacted by someone) or removed: drop what was read before. */
	reset: boolean;
	records: RegistryRecord[];
}

/**
 * The registry log: JSON Lines behind a header line that names the file's generation.
 *
 * Appends go to the end; compaction writes a new file with a new generation and renames it
 * over the old one. Remembering the generation and how far it has read lets the journal read
 * only what others appended since, and notice a replaced file without trusting inode numbers.
 * Every method must run under the registry lock, and `readNew()` must come first in each
 * locked section (appending relies on knowing the file's current end).
 */
export class Journal {
	private generation: string | undefined;
	private offset = 0;
	private size = 0;
	private endsMidLine = false;
	private valid = false;
	private mustReset = false;

	constructor(readonly path: string) {}

	/** False when the file is missing or its header is unreadable: the next write must be `rewrite()`. */
	get appendable(): boolean {
		return this.valid;
	}

	get sizeBytes(): number {
		return this.size;
	}

	/** Forget the read position, so the next `readNew()` rereads everything (after a failed write). */
	invalidate(): void {
		this.forgetPosition();
		this.mustReset = true;
	}

	async readNew(): Promise<NewRecords> {
		const file = await unlessFailsWith(open(this.path, 'r'), 'ENOENT');
		if (!file) {
			this.forgetPosition();
			this.mustReset = false;
			this.size = 0;
			return { reset: true, records: [] };
		}
		try {
			const { size } = await file.stat();
			const header = await readHeader(file);
			const sameFile = header !== undefined && header.generation === this.generation && size >= this.offset;
			const reset = this.mustReset || !sameFile;
			if (reset) {
				this.generation = header?.generation;
				this.offset = header?.length ?? 0;
			}
			this.mustReset = false;
			this.valid = header !== undefined;
			this.size = size;
			return { reset, records: await this.readTail(file) };
		} finally {
			await file.close();
		}
	}

	/** Appends and flushes to disk. */
	async append(records: RegistryRecord[]): Promise<void> {
		if (!this.valid) throw new Error('Journal.append needs a valid file: rewrite it first');
		// A torn last line must not swallow the first new record: end it, so it reads as one bad line.
		const text = (this.endsMidLine ? '\n' : '') + records.map((record) => `${encodeRecord(record)}\n`).join('');
		const file = await open(this.path, 'a', FILE_MODE);
		try {
			await file.writeFile(text);
			await file.datasync();
		} finally {
			await file.close();
		}
		this.size += Buffer.byteLength(text);
		this.offset = this.size;
		this.endsMidLine = false;
	}

	/** Atomically replaces the file with exactly these records under a new generation; returns its size. */
	async rewrite(records: RegistryRecord[]): Promise<number> {
		const generation = randomUUID();
		const header = JSON.stringify({ type: 'header', version: FORMAT_VERSION, generation });
		const text = [header, ...records.map(encodeRecord)].map((line) => `${line}\n`).join('');
		const dir = dirname(this.path);
		await removeLeftoverTempFiles(dir, basename(this.path));
		const temp = `${this.path}.${generation}.tmp`;
		let renamed = false;
		try {
			const file = await open(temp, 'wx', FILE_MODE);
			try {
				await file.writeFile(text);
				await file.sync();
			} finally {
				await file.close();
			}
			await rename(temp, this.path);
			renamed = true;
		} finally {
			if (!renamed) await unlink(temp).catch(() => undefined);
		}
		await syncDirectory(dir);
		this.generation = generation;
		this.size = this.offset = Buffer.byteLength(text);
		this.endsMidLine = false;
		this.valid = true;
		this.mustReset = false;
		return this.size;
	}

	private forgetPosition(): void {
		this.generation = undefined;
		this.offset = 0;
		this.endsMidLine = false;
		this.valid = false;
	}

	private async readTail(file: FileHandle): Promise<RegistryRecord[]> {
		const length = this.size - this.offset;
		if (length <= 0) {
			this.endsMidLine = false;
			return [];
		}
		const bytes = await readExactly(file, this.offset, length);
		const end = bytes.lastIndexOf(NEWLINE) + 1;
		// An unfinished last line stays unread: it is either being torn or will be ended by the next append.
		this.offset += end;
		this.endsMidLine = end < length;
		const records: RegistryRecord[] = [];
		for (const line of bytes.subarray(0, end).toString('utf8').split('\n')) {
			const record = line === '' ? undefined : parseRecord(line);
			if (record) records.push(record);
		}
		return records;
	}
}

async function readHeader(file: FileHandle): Promise<{ generation: string; length: number } | undefined> {
	const { buffer, bytesRead } = await file.read(Buffer.alloc(HEADER_PROBE_BYTES), 0, HEADER_PROBE_BYTES, 0);
	const end = buffer.subarray(0, bytesRead).indexOf(NEWLINE);
	if (end < 0) return undefined;
	try {
		const header: unknown = JSON.parse(buffer.subarray(0, end).toString('utf8'));
		if (
			typeof header === 'object' &&
			header !== null &&
			'type' in header &&
			header.type === 'header' &&
			'generation' in header &&
			typeof header.generation === 'string'
		) {
			return { generation: header.generation, length: end + 1 };
		}
	} catch {
		// Not JSON: treated like a missing header below.
	}
	return undefined;
}

async function readExactly(file: FileHandle, position: number, length: number): Promise<Buffer> {
	const buffer = Buffer.alloc(length);
	let filled = 0;
	while (filled < length) {
		const { bytesRead } = await file.read(buffer, filled, length - filled, position + filled);
		if (bytesRead === 0) break;
		filled += bytesRead;
	}
	return buffer.subarray(0, filled);
}

/** Makes the rename itself durable. Some platforms (Windows) cannot open a directory; there the rename is as durable as it gets. */
async function syncDirectory(dir: string): Promise<void> {
	let handle: FileHandle | undefined;
	try {
		handle = await open(dir, 'r');
		await handle.sync();
	} catch {
		// See above: best effort by design.
	} finally {
		await handle?.close();
	}
}

/** Temp files of a compaction that crashed before its rename. Safe to remove: we hold the lock. */
async function removeLeftoverTempFiles(dir: string, logName: string): Promise<void> {
	const names = await readdir(dir).catch(() => [] as string[]);
	const leftovers = names.filter((name) => name.startsWith(`${logName}.`) && name.endsWith('.tmp'));
	await Promise.all(leftovers.map((name) => unlink(join(dir, name)).catch(() => undefined)));
}
