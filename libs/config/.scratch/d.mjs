import Type from 'typebox';
import { Compile } from 'typebox/compile';
const S = Type.Object({ name: Type.String(), n: Type.Optional(Type.Integer({minimum:0})), l: Type.Optional(Type.Record(Type.String(), Type.String())), a: Type.Optional(Type.Array(Type.String())), u: Type.Optional(Type.Union([Type.String(), Type.Integer()])), o: Type.Optional(Type.Unknown()) }, {additionalProperties: true});
console.log(JSON.stringify(S, null, 1));
const C = Compile(S);
console.log(C.Check({name:'x'}), [...C.Errors({name:1, n:1.5, l:{a:1}, a:[1]})]);
