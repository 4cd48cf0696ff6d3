/**
 * The ports a run may use (`--sandbox-port`, `--n8n-port`), so a bench can be kept to a
 * given range on a shared machine. Each kind rotates over a few consecutive ports: a
 * process is stopped before its port comes round again. 0 leaves the choice to the OS.
 */
export interface Ports {
	/** The port for the next sandbox (0: any free one). */
	sandbox(): number;
	/**
	 * The ports for an n8n: its HTTP port and its task broker's (0: any free ones). The
	 * shared n8n (kept for the whole run) has the first pair; a case's own n8n, always
	 * stopped before the next is started, the second.
	 */
	n8n(kind: 'shared' | 'own'): { port: number; brokerPort: number };
}

/** Sandboxes open at the same time, at most (one per case, one more while a bulk size is warmed up). */
const SANDBOX_SLOTS = 4;

export function portsFrom(sandboxBase: number, n8nBase: number): Ports {
	let sandboxes = 0;
	return {
		sandbox: () => (sandboxBase ? sandboxBase + (sandboxes++ % SANDBOX_SLOTS) : 0),
		n8n: (kind) => {
			if (!n8nBase) return { port: 0, brokerPort: 0 };
			const port = kind === 'shared' ? n8nBase : n8nBase + 2;
			return { port, brokerPort: port + 1 };
		},
	};
}
