/** Progress on the terminal: timed steps and progress bars (one line per tenth when not a TTY). */
const started = Date.now();

export const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s`;

export const step = (message: string) => console.log(`\x1b[36m[demo ${elapsed()}]\x1b[0m ${message}`);

export const progress = (label: string, done: number, total: number) => {
  const width = 30;
  const filled = Math.round((done / Math.max(total, 1)) * width);
  const line = `  ${label.padEnd(22)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
  if (process.stdout.isTTY) process.stdout.write(`\r${line}${done >= total ? '\n' : ''}`);
  else if (done === total || done % Math.max(1, Math.floor(total / 10)) === 0) console.log(line);
};
