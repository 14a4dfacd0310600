import { RE2JS } from 're2js';
let t0=performance.now();
const ps=[];
for (let i=0;i<2300;i++) ps.push(RE2JS.compile(`(?m)^/test( | .* )pull-kubernetes-e2e-gce-${i},?($|\\s.*)`));
console.log('compile', Math.round(performance.now()-t0));
t0=performance.now();
let n=0; for (let i=0;i<2300;i++) if (ps[i].test(`/test pull-kubernetes-e2e-gce-${i}`)) n++;
console.log('test', Math.round(performance.now()-t0), n);
const p = RE2JS.compile('(?m)^/test( | .* )all,?($|\\s.*)');
console.log(p.test('/test all'), p.test('hello\n/test foo all'), p.test('/test alll'));
try { RE2JS.compile('(?<name>a)'); console.log('named ok'); } catch(e){ console.log(e.constructor.name, e.message); }
try { RE2JS.compile('a(b'); } catch(e){ console.log(e.constructor.name, e.message); }
try { RE2JS.compile('(?=a)'); } catch(e){ console.log(e.constructor.name, e.message); }
console.log(RE2JS.compile('^main$|^release-.*').test('release-1.2'));
console.log(Object.getOwnPropertyNames(Object.getPrototypeOf(p)));
