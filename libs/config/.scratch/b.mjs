import { parse, parseDocument, Lexer, Parser, Composer } from 'yaml';
import fs from 'node:fs'; import path from 'node:path';
const root = '/work/shared/fixtures/kubernetes-test-infra/config/jobs';
const files = [];
(function walk(d){ for (const e of fs.readdirSync(d,{withFileTypes:true})) { const p=path.join(d,e.name); if(e.isDirectory()) walk(p); else if(/\.ya?ml$/.test(e.name)) files.push(p);} })(root);
const srcs = files.map(f=>fs.readFileSync(f,'utf8'));
console.log('bytes', srcs.reduce((a,s)=>a+s.length,0));
for (const mode of ['lex','cst','doc','parse11','parse12','doc11-noerr']) {
  const t0=performance.now();
  for (const s of srcs) {
    if (mode==='lex') { for (const _ of new Lexer().lex(s)); }
    else if (mode==='cst') { for (const _ of new Parser().parse(s)); }
    else if (mode==='doc') parseDocument(s,{version:'1.1'});
    else if (mode==='parse11') parse(s,{version:'1.1'});
    else if (mode==='parse12') parse(s);
    else parseDocument(s,{version:'1.1', keepSourceTokens:false, prettyErrors:false}).toJS();
  }
  console.log(mode, Math.round(performance.now()-t0));
}
