/**
 * Memory of the n8n process, read from /proc: VmRSS (now) and VmHWM (peak). The n8n
 * node process is a child of the runtime script; it is found by the user folder in its
 * environment, which is unique to one started n8n. Writing "5" to clear_refs resets
 * VmHWM (Linux >= 4.0), so each measured run gets its own peak; the RSS is also sampled
 * in case the reset is not allowed.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

export interface MemoryReading {
	rssMb: number;
	hwmMb: number;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
	return match ? Number(match[1]) : NaN;
}

export function readMemory(pid: number): MemoryReading {
	return { rssMb: statusKb(pid, 'VmRSS') / 1024, hwmMb: statusKb(pid, 'VmHWM') / 1024 };
}

/** The pid of the node process running `n8n start` for this user folder. */
export function findN8nPid(userFolder: string): number {
	const wanted = `N8N_USER_FOLDER=${userFolder}`;
	const found: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
			if (!cmdline.some((arg) => arg.endsWith('/n8n/bin/n8n')) || !cmdline.includes('start')) continue;
			const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
			if (environ.includes(wanted)) found.push(Number(entry));
		} catch {
			// The process ended or is not ours to read.
		}
	}
	if (found.length !== 1) throw new Error(`Expected one n8n process for the user folder, found ${found.length}`);
	return found[0];
}

/** Samples the RSS of `pid` until stopped; the peak is max(sampled RSS, VmHWM since the reset). */
export class PeakMemory {
	private timer?: NodeJS.Timeout;
	private peakRssMb = 0;
	private readonly resetWorked: boolean;
	readonly beforeMb: number;

	constructor(
		private readonly pid: number,
		intervalMs = 50,
	) {
		let reset = true;
		try {
			writeFileSync(`/proc/${pid}/clear_refs`, '5');
		} catch {
			reset = false;
		}
		this.resetWorked = reset;
		this.beforeMb = readMemory(pid).rssMb;
		this.peakRssMb = this.beforeMb;
		this.timer = setInterval(() => this.sample(), intervalMs);
		this.timer.unref();
	}

	private sample(): void {
		try {
			this.peakRssMb = Math.max(this.peakRssMb, readMemory(this.pid).rssMb);
		} catch {
			// The process is gone; keep what was seen.
		}
	}

	/** Peak RSS in MB over the sampled span. */
	stop(): { peakMb: number; beforeMb: number; hwmReset: boolean } {
		clearInterval(this.timer);
		this.sample();
		let peak = this.peakRssMb;
		if (this.resetWorked) {
			try {
				peak = Math.max(peak, readMemory(this.pid).hwmMb);
			} catch {
				// Gone.
			}
		}
		return { peakMb: peak, beforeMb: this.beforeMb, hwmReset: this.resetWorked };
	}
}

/** The fields of /proc/<pid>/stat after the command name (which may contain spaces), from field 3 (state) on. */
function statFields(pid: number): string[] {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * CPU time (user + system) the process and its child processes have used so far, in ms
 * (from /proc/<pid>/stat, in clock ticks of 10 ms): n8n's own threads, its task runner
 * (a child process that runs Code nodes) and children that ended (cutime + cstime).
 */
export function cpuMs(pid: number): number {
	const own = statFields(pid);
	let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
	const children = new Map<number, number[]>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const parent = Number(statFields(Number(entry))[1]);
			children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
		} catch {
			// Ended while listed.
		}
	}
	const queue = [...(children.get(pid) ?? [])];
	while (queue.length) {
		const child = queue.shift()!;
		try {
			const fields = statFields(child);
			ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
		} catch {
			continue;
		}
		queue.push(...(children.get(child) ?? []));
	}
	return ticks * 10;
}
