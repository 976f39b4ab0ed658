import { repairAreaGeometry } from './src/data/area-repair.ts';
const P = (c: number[][][]) => ({ type: 'Polygon' as const, coordinates: c });
const cases: Record<string, any> = {
  ok: P([[[0,0],[1,0],[1,1],[0,1],[0,0]]]),
  cw: P([[[0,0],[0,1],[1,1],[1,0],[0,0]]]),
  bowtie: P([[[0,0],[1,1],[1,0],[0,1],[0,0]]]),
  holeBigger: P([[[0,0],[1,0],[1,1],[0,1],[0,0]],[[-1,-1],[-1,2],[2,2],[2,-1],[-1,-1]]]),
  holeOut: P([[[0,0],[1,0],[1,1],[0,1],[0,0]],[[5,5],[5,6],[6,6],[6,5],[5,5]]]),
  holeOk: P([[[0,0],[1,0],[1,1],[0,1],[0,0]],[[0.2,0.2],[0.2,0.6],[0.6,0.6],[0.6,0.2],[0.2,0.2]]]),
  notClosed: P([[[0,0],[1,0],[1,1],[0,1]]]),
  dups: P([[[0,0],[1,0],[1,0],[1,1],[0,1],[0,0]]]),
  world: P([[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]]),
  anti: P([[[170,10],[-170,10],[-170,20],[170,20],[170,10]]]),
  spike: P([[[0,0],[1,0],[1,1],[2,1],[1,1],[0,1],[0,0]]]),
  line: P([[[0,0],[1,0],[2,0],[0,0]]]),
};
for (const [k, g] of Object.entries(cases)) { const r = repairAreaGeometry(g); console.log(k, JSON.stringify(r.ok ? { g: r.geometry.coordinates.length, rep: r.repairs.map(x=>x.text) } : r.problem)); }
const circle = (n: number, cx=121, cy=31, r=0.5) => { const a: number[][]=[]; for (let i=0;i<n;i++){const t=2*Math.PI*i/n; const rr = r*(1+0.001*(i%2)); a.push([cx+rr*Math.cos(t)+0, cy+rr*Math.sin(t)]);} a.push(a[0]); return a; };
for (const n of [10000, 100000, 1000000]) { const t = Date.now(); const r = repairAreaGeometry(P([circle(n)])); console.log(n, Date.now()-t, 'ms', r.ok ? r.vertices + ' ' + r.repairs.map(x=>x.text).join('; ') : r.problem); }
