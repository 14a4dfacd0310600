import { parseDocument, LineCounter } from 'yaml';
const src = "a: 0400\nb: 2024-01-01\nc: 1:30\nd: y\ne: 0x1F\nf: ~\ng: 1.5\nh: yes\na: dup\nk: !!binary aGVsbG8=\n";
const doc = parseDocument(src, { version: '1.1', uniqueKeys: false, customTags: (tags) => { console.log(tags.map(t=>t.tag+ (t.format? ':'+t.format:''))); return tags.filter(t => t.tag !== 'tag:yaml.org,2002:timestamp' && !(t.format==='TIME')); } });
console.log(doc.errors, doc.toJS());
const bad = parseDocument("a: 1\nb: [1, 2\nc: 3\n", {version:'1.1'});
for (const e of bad.errors) console.log(e.name, e.code, e.linePos, JSON.stringify(e.message));
const bad2 = parseDocument("presubmits:\n  org/repo:\n  - name: x\n   always_run: true\n", {version:'1.1'});
for (const e of bad2.errors) console.log(e.name, e.code, e.linePos, JSON.stringify(e.message));
