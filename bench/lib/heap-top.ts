/**
 * Summarises a V8 heap snapshot (node --heapsnapshot-signal=SIGUSR2, or v8.writeHeapSnapshot) by
 * what holds the bytes: self size and count per kind of object, where a plain object is named by
 * its first property names ("{kind,labels,rd,prefix}") so that the objects of each concept show
 * apart, arrays and strings by their type, Maps and Sets with their backing tables.
 *
 * Usage: node dist/bench/lib/heap-top.js FILE.heapsnapshot [TOP=40] [PER=routes] [--strings]
 *   PER: divide the sizes by this number (e.g. the number of routes held) for bytes per route;
 *   --strings: strings grouped by shape (digits and hex folded) instead of all together.
 * Used to find where the bytes of a route go (docs/benchmarks.md, ingestion).
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

function main(): void {
  const [file, topText, perText] = process.argv.slice(2);
  if (file === undefined) {
    console.error('usage: node dist/bench/lib/heap-top.js FILE.heapsnapshot [TOP] [PER]');
    process.exit(2);
  }
  const top = Number(topText ?? 40);
  const per = Number(perText ?? 1);
  const byShape = process.argv.includes('--strings');
  const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const nf = s.snapshot.meta.node_fields;
  const ef = s.snapshot.meta.edge_fields;
  const nodeTypes = s.snapshot.meta.node_types[0];
  const edgeTypes = s.snapshot.meta.edge_types[0];
  const N = nf.length;
  const E = ef.length;
  const iType = nf.indexOf('type');
  const iName = nf.indexOf('name');
  const iSize = nf.indexOf('self_size');
  const iEdges = nf.indexOf('edge_count');
  const eType = ef.indexOf('type');
  const eName = ef.indexOf('name_or_index');
  const byKind = new Map<string, { size: number; count: number }>();
  let total = 0;
  let edge = 0;
  for (let n = 0; n < s.nodes.length; n += N) {
    const type = nodeTypes[s.nodes[n + iType]!]!;
    const name = s.strings[s.nodes[n + iName]!]!;
    const size = s.nodes[n + iSize]!;
    const edgeCount = s.nodes[n + iEdges]!;
    let kind: string;
    if (type === 'object' && name === 'Object') {
      const props: string[] = [];
      for (let e = edge; e < edge + edgeCount * E && props.length < 6; e += E) {
        if (edgeTypes[s.edges[e + eType]!] === 'property') props.push(s.strings[s.edges[e + eName]!]!);
      }
      kind = `{${props.join(',')}}`;
    } else if (type === 'string' || type === 'concatenated string' || type === 'sliced string') {
      // Strings by shape: digits and hex runs folded, so "10.0.1.7/32" and "10.9.3.1/32" count together.
      kind = byShape ? `(${type}) ${name.slice(0, 48).replace(/[0-9a-f]{2,}|\d+/g, '#')}` : `(${type})`;
    }
    else if (type === 'array' || type === 'hidden' || type === 'code') kind = `(${type}) ${name.length > 40 ? name.slice(0, 40) : name}`;
    else kind = `${type} ${name.length > 60 ? name.slice(0, 60) : name}`;
    edge += edgeCount * E;
    total += size;
    const k = byKind.get(kind) ?? { size: 0, count: 0 };
    k.size += size;
    k.count++;
    byKind.set(kind, k);
  }
  console.log(`${file}: ${(total / 1048576).toFixed(1)} MB of heap objects${per !== 1 ? `, ${(total / per).toFixed(0)} bytes per unit (${per})` : ''}`);
  console.log(`${'MB'.padStart(8)} ${'per unit'.padStart(9)} ${'count'.padStart(10)}  kind`);
  for (const [k, v] of [...byKind].sort((a, b) => b[1].size - a[1].size).slice(0, top)) {
    console.log(`${(v.size / 1048576).toFixed(1).padStart(8)} ${(v.size / per).toFixed(1).padStart(9)} ${String(v.count).padStart(10)}  ${k}`);
  }
}

main();
