// /proc reads of the browser's processes, shared by the bench's memory probes
// (cpu-runner.mjs, scale-memory.mjs).
import { readFileSync, readdirSync } from 'node:fs';

export function procStat(pid) {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
}

/** Every live process under the browser's (the zygote and its renderers included). */
export function descendants(rootPid) {
  const parent = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try { parent.set(Number(d), procStat(d).ppid); } catch { /* gone */ }
  }
  const out = [];
  for (const pid of parent.keys()) {
    for (let p = pid, hops = 0; p && hops < 8; p = parent.get(p), hops++) {
      if (p === rootPid) { out.push(pid); break; }
    }
  }
  return out;
}

export function isRenderer(pid) {
  try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer'); } catch { return false; }
}

/** VmRSS / VmHWM (peak RSS) of a process, in bytes. */
export function rss(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN) * 1024;
    return { pid, rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
  } catch {
    return null;
  }
}
