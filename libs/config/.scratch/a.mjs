import { parseAllDocuments, parseDocument } from 'yaml';
import fs from 'node:fs'; import path from 'node:path';
const root = '/work/shared/fixtures/kubernetes-test-infra/config/jobs';
const files = [];
(function walk(d){ for (const e of fs.readdirSync(d,{withFileTypes:true}).sort((a,b)=>a.name<b.name?-1:1)) { const p=path.join(d,e.name); if(e.isDirectory()) walk(p); else if(/\.ya?ml$/.test(e.name)) files.push(p);} })(root);
const topKeys = {}; let multiDoc=0, dupErr=0, mergeKeys=0; const jobKeys={pre:{},post:{},per:{}}; const agents={}; const ns={};
let t0=Date.now();
for (const f of files) {
  const src = fs.readFileSync(f,'utf8');
  const docs = parseAllDocuments(src, {version:'1.1'});
  if (docs.length>1) multiDoc++;
  const d = docs[0]; if(!d){console.log("EMPTY",f); continue;}
  if (d.errors.length) { console.log('ERR', f, d.errors[0].message.slice(0,200)); dupErr++; }
  if (src.includes('<<:')) mergeKeys++;
  const js = d.toJS({maxAliasCount:-1}) ?? {};
  for (const k of Object.keys(js)) topKeys[k]=(topKeys[k]??0)+1;
  const all=[]; for (const [r,l] of Object.entries(js.presubmits??{})) for (const j of l??[]) {all.push(j); for (const k of Object.keys(j)) jobKeys.pre[k]=(jobKeys.pre[k]??0)+1;}
  for (const [r,l] of Object.entries(js.postsubmits??{})) for (const j of l??[]) {all.push(j);for (const k of Object.keys(j)) jobKeys.post[k]=(jobKeys.post[k]??0)+1;}
  for (const j of js.periodics??[]) {all.push(j);for (const k of Object.keys(j)) jobKeys.per[k]=(jobKeys.per[k]??0)+1;}
  for (const j of all) { agents[j.agent]=(agents[j.agent]??0)+1; ns[j.namespace]=(ns[j.namespace]??0)+1; }
}
console.log(Date.now()-t0,'ms', files.length, {multiDoc, dupErr, mergeKeys}); console.log(topKeys); console.log(jobKeys); console.log(agents, ns);
