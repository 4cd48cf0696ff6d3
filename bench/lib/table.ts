/** Plain-text and Markdown tables for the console and the README. */

export interface Table {
	title: string;
	header: string[];
	rows: string[][];
	notes?: string[];
}

export function renderText(table: Table): string {
	const widths = table.header.map((cell, i) => Math.max(cell.length, ...table.rows.map((row) => (row[i] ?? '').length)));
	const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
	const out = [table.title, line(table.header), widths.map((w) => '-'.repeat(w)).join('  '), ...table.rows.map(line)];
	for (const note of table.notes ?? []) out.push(`  ${note}`);
	return out.join('\n');
}

export function renderMarkdown(table: Table): string {
	const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
	const out = [`**${table.title}**`, '', line(table.header), line(table.header.map(() => '---')), ...table.rows.map(line)];
	if (table.notes?.length) out.push('', ...table.notes.map((note) => `- ${note}`));
	return out.join('\n');
}

/** "met" / "MISSED" for a target. */
export const verdict = (met: boolean) => (met ? 'met' : 'MISSED');

/** A target's median, with its min–max over rounds when there were several. */
export function formatTarget(target: { value: number; range?: [number, number] }): string {
	const f = (x: number) => String(Number(x.toFixed(3)));
	return target.range && target.range[0] !== target.range[1] ? `${f(target.value)} (${f(target.range[0])}–${f(target.range[1])})` : f(target.value);
}
