/**
 * Preloaded into n8n by the bench (NODE_OPTIONS=--require …, since Node refuses
 * --cpu-prof there): profiles n8n's main thread with V8's sampling profiler from start,
 * and on SIGUSR2 writes the profile to $BENCH_CPU_PROFILE_DIR/<pid>.cpuprofile.
 * Other node processes started with the same environment are left alone.
 */
'use strict';
const { Session } = require('node:inspector');
const { writeFileSync, renameSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir && /\/n8n\/bin\/n8n$/.test(process.argv[1] || '')) {
	const session = new Session();
	session.connect();
	session.post('Profiler.enable');
	session.post('Profiler.setSamplingInterval', { interval: Number(process.env.BENCH_CPU_PROFILE_INTERVAL_US || 500) });
	session.post('Profiler.start');
	process.on('SIGUSR2', () => {
		session.post('Profiler.stop', (error, result) => {
			const file = join(dir, `${process.pid}.cpuprofile`);
			if (!error) {
				writeFileSync(`${file}.part`, JSON.stringify(result.profile));
				renameSync(`${file}.part`, file);
			}
		});
	});
}
