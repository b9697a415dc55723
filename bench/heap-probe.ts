/**
 * Loaded into one untimed trailcheck run per configuration (`node --expose-gc --import heap-probe.js`):
 * every 25 ms it runs a full garbage collection and notes the heap that survives, so the largest figure
 * is what the scan keeps alive at its peak, without the garbage that peak RSS also counts. Writes
 * `{ samples, peakLiveBytes }` as JSON to the file named by BENCH_HEAP_OUT when the process exits.
 */
import { writeFileSync } from 'node:fs';

const out = process.env.BENCH_HEAP_OUT;
const collect = (globalThis as { gc?: () => void }).gc;
if (out && collect) {
  let peakLiveBytes = 0;
  let samples = 0;
  const sample = (): void => {
    collect();
    samples += 1;
    peakLiveBytes = Math.max(peakLiveBytes, process.memoryUsage().heapUsed);
  };
  setInterval(sample, 25).unref();
  process.on('exit', () => {
    sample();
    writeFileSync(out, JSON.stringify({ samples, peakLiveBytes }));
  });
}
