// Go text/template behaviours, each case named after the Go rule it pins. Expected outputs and
// error texts are Go's (text/template, fmt, strconv as of Go 1.22+, which Prow is built with).
import { describe, expect, it } from 'vitest';
import { compileGoTemplate } from './index.js';

const data = {
  s: 'x',
  empty: '',
  zero: 0,
  n: 3,
  f: 1.5,
  yes: true,
  no: false,
  list: ['a', 'b', 'c'],
  none: [],
  m: { b: 2, a: 1, c: 3 },
  nested: { inner: { v: 'deep' }, list: [{ name: 'first' }] },
  emptyMap: {},
};

const run = (src: string, d: unknown = data): string => compileGoTemplate(src, 't').execute(d);

describe('Go text/template: output', () => {
  const cases: { name: string; src: string; want: string; data?: unknown }[] = [
    { name: 'text outside actions is copied verbatim', src: 'a {b} c', want: 'a {b} c' },
    {
      name: 'an action prints its value',
      src: '{{.s}}-{{.n}}-{{.f}}-{{.yes}}',
      want: 'x-3-1.5-true',
    },
    { name: 'dot is the data', src: '{{.}}', data: 'plain', want: 'plain' },
    { name: 'a missing map key prints <no value>', src: '[{{.nope}}]', want: '[<no value>]' },
    {
      name: 'a field of a missing map key is <no value>, not an error',
      src: '{{.nope.deeper}}',
      want: '<no value>',
    },
    { name: 'nested map fields', src: '{{.nested.inner.v}}', want: 'deep' },
    {
      name: '{{- trims spaces and newlines before, -}} after',
      src: 'a \n {{- "b" -}} \n c',
      want: 'abc',
    },
    { name: 'trim markers need the space: {{-3}} is the number -3', src: '{{-3}}', want: '-3' },
    {
      name: 'comments print nothing and may trim',
      src: 'a {{- /* note */ -}} b {{/* x */}}c',
      want: 'ab c',
    },
    {
      name: 'if / else if / else picks the first true branch',
      src: '{{if .no}}1{{else if .zero}}2{{else if .n}}3{{else}}4{{end}}',
      want: '3',
    },
    {
      name: 'empty string, 0, false, empty slice and map are false',
      src: '{{if or .empty .zero .no .none .emptyMap}}t{{else}}f{{end}}',
      want: 'f',
    },
    { name: 'a missing key is false', src: '{{if .nope}}t{{else}}f{{end}}', want: 'f' },
    {
      name: 'with sets dot when the value is true',
      src: '{{with .nested.inner}}{{.v}}{{end}}',
      want: 'deep',
    },
    {
      name: 'with takes its else branch when the value is empty',
      src: '{{with .empty}}x{{else}}none{{end}}',
      want: 'none',
    },
    {
      name: 'else with chains like else if',
      src: '{{with .empty}}a{{else with .s}}{{.}}{{end}}',
      want: 'x',
    },
    { name: 'with may declare a variable', src: '{{with $v := .s}}{{$v}}{{.}}{{end}}', want: 'xx' },
    {
      name: 'range over a slice sets dot to each element',
      src: '{{range .list}}{{.}},{{end}}',
      want: 'a,b,c,',
    },
    {
      name: 'range with $i, $e gives index and element',
      src: '{{range $i, $e := .list}}{{$i}}={{$e}} {{end}}',
      want: '0=a 1=b 2=c ',
    },
    {
      name: 'range over a map visits keys in sorted order',
      src: '{{range $k, $v := .m}}{{$k}}{{$v}}{{end}}',
      want: 'a1b2c3',
    },
    {
      name: 'range else runs for an empty slice',
      src: '{{range .none}}x{{else}}empty{{end}}',
      want: 'empty',
    },
    {
      name: 'range over a missing key runs else',
      src: '{{range .nope}}x{{else}}empty{{end}}',
      want: 'empty',
    },
    { name: 'range over an integer counts from 0', src: '{{range 3}}{{.}}{{end}}', want: '012' },
    {
      name: 'break and continue inside range',
      src: '{{range .list}}{{if eq . "b"}}{{continue}}{{end}}{{if eq . "c"}}{{break}}{{end}}{{.}}{{end}}',
      want: 'a',
    },
    { name: '$ is the data everywhere', src: '{{range .list}}{{$.s}}{{end}}', want: 'xxx' },
    {
      name: 'variables can be reassigned with =',
      src: '{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}',
      want: '2',
    },
    { name: 'a declaration prints nothing', src: '{{$x := "hidden"}}.', want: '.' },
    {
      name: 'a pipeline passes the value as the last argument',
      src: '{{"x" | printf "%s-%s" "a"}}',
      want: 'a-x',
    },
    {
      name: 'parenthesized pipelines are arguments',
      src: '{{printf "%s%s" (index .list 0) (index .list 2)}}',
      want: 'ac',
    },
    {
      name: 'fields of a parenthesized value (chain)',
      src: '{{(index .nested.list 0).name}}',
      want: 'first',
    },
    {
      name: 'eq with several arguments is true if any equals the first',
      src: '{{eq .n 1 2 3}} {{eq "a" "b" "c"}}',
      want: 'true false',
    },
    {
      name: 'ne, lt, le, gt, ge',
      src: '{{ne 1 2}} {{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1 2}}',
      want: 'true true true true false',
    },
    {
      name: 'eq compares a missing key as nil without error',
      src: '{{eq .nope "x"}}',
      want: 'false',
    },
    {
      name: 'and returns the first false argument or the last',
      src: '{{and 1 0 2}}|{{and 1 2}}',
      want: '0|2',
    },
    {
      name: 'or returns the first true argument or the last',
      src: '{{or 0 "" "x"}}|{{or 0 ""}}|',
      want: 'x||',
    },
    {
      name: 'and / or short-circuit: later arguments are not evaluated',
      src: '{{or true (index .list 10)}} {{and false (index .list 10)}}',
      want: 'true false',
    },
    { name: 'not negates truth', src: '{{not 0}} {{not .s}}', want: 'true false' },
    {
      name: 'len counts bytes of a string, elements of slices and maps',
      src: '{{len "héllo"}} {{len .list}} {{len .m}}',
      want: '6 3 3',
    },
    {
      name: 'index into slices, maps, and several levels',
      src: '{{index .list 1}} {{index .m "c"}} {{index .nested "list" 0 "name"}}',
      want: 'b 3 first',
    },
    {
      name: 'index of a missing key of an untyped map is <no value>',
      src: '{{index .m "zz"}}',
      want: '<no value>',
    },
    {
      name: 'slice of a string and of a slice',
      src: '{{slice "hello" 1 3}} {{slice .list 1}}',
      want: 'el [b c]',
    },
    {
      name: 'print puts spaces between operands when neither is a string',
      src: '{{print 1 2}}|{{print "a" "b"}}|{{print "a" 1 2 "b"}}',
      want: '1 2|ab|a1 2b',
    },
    {
      name: 'println separates with spaces and ends with a newline',
      src: '{{println 1 "a"}}',
      want: '1 a\n',
    },
    { name: 'print of nil is <nil>', src: '{{print .nope}}', want: '<nil>' },
    {
      name: 'printf %s %d %v %q',
      src: '{{printf "%s=%d %v %q" "a" 5 .list "x\\"y"}}',
      want: 'a=5 [a b c] "x\\"y"',
    },
    {
      name: 'printf width, precision and flags',
      src: '{{printf "%5.2f|%-4d|%03d|%x|%X|%t" 3.14159 7 5 255 "hi" true}}',
      want: ' 3.14|7   |005|ff|6869|true',
    },
    {
      name: 'printf %v of maps and nil',
      src: '{{printf "%v %v" .m .nope}}',
      want: 'map[a:1 b:2 c:3] <nil>',
    },
    {
      name: 'printf reports a wrong verb in-band',
      src: '{{printf "%d" "x"}}',
      want: '%!d(string=x)',
    },
    {
      name: 'printf reports missing and extra arguments in-band',
      src: '{{printf "%s %s" "a"}}|{{printf "%s" 1 2}}',
      want: 'a %!s(MISSING)|%!s(int=1)%!(EXTRA int=2)',
    },
    { name: 'printf %% is a literal percent', src: '{{printf "100%%"}}', want: '100%' },
    {
      name: 'html escapes < > & \' " as Go does',
      src: `{{html "<a href=\\"x\\">'&'</a>"}}`,
      want: '&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    },
    {
      name: 'js escapes quotes, backslashes, < > & =',
      src: `{{js "it's <b>=\\"\\\\"}}`,
      want: 'it\\\'s \\u003Cb\\u003E\\u003D\\"\\\\',
    },
    {
      name: 'urlquery escapes as url.QueryEscape',
      src: '{{urlquery "a b&c=d/é"}}',
      want: 'a+b%26c%3Dd%2F%C3%A9',
    },
    {
      name: 'html of a missing key is <no value>',
      src: '{{html .nope}}',
      want: '&lt;no value&gt;',
    },
    {
      name: 'floats print like %g: 1e+06, 0.5',
      src: '{{1e6}} {{0.5}} {{1.0}} {{123456.0}} {{1234567.0}}',
      want: '1e+06 0.5 1 123456 1.234567e+06',
    },
    {
      name: 'integer literals: hex, octal, binary, underscores, runes',
      src: "{{0x1F}} {{017}} {{0o17}} {{0b101}} {{1_000}} {{'a'}}",
      want: '31 15 15 5 1000 97',
    },
    {
      name: 'string literals: escapes and raw strings',
      src: '{{"a\\tb\\u00e9"}}|{{`raw\\n`}}',
      want: 'a\tbé|raw\\n',
    },
    { name: 'actions may span lines', src: '{{if\n  .s\n}}yes{{end}}', want: 'yes' },
    {
      name: 'define and template',
      src: '{{define "T"}}[{{.}}]{{end}}{{template "T" .s}}{{template "T"}}',
      want: '[x][<no value>]',
    },
    {
      name: 'block defines and runs a template',
      src: '{{block "B" .s}}<{{.}}>{{end}}',
      want: '<x>',
    },
    {
      name: "templates do not see the caller's variables",
      src: '{{define "T"}}{{$}}{{end}}{{$x := 1}}{{template "T" "in"}}',
      want: 'in',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => expect(run(tc.src, tc.data ?? data)).toBe(tc.want));
  }
});

describe('Go text/template: errors', () => {
  const parse: { name: string; src: string; error: string }[] = [
    { name: 'unclosed block at EOF', src: '{{if .s}}x', error: 'template: t:1: unexpected EOF' },
    { name: 'end without a block', src: 'a{{end}}', error: 'template: t:1: unexpected {{end}}' },
    { name: 'unclosed action', src: '{{.s', error: 'template: t:1: unclosed action' },
    {
      name: 'bad character after a field',
      src: '{{.s}',
      error: "template: t:1: bad character U+007D '}'",
    },
    {
      name: 'undefined function',
      src: '{{nosuch 1}}',
      error: 'template: t:1: function "nosuch" not defined',
    },
    {
      name: 'undefined variable',
      src: '{{if true}}{{$x := 1}}{{end}}{{$x}}',
      error: 'template: t:1: undefined variable "$x"',
    },
    {
      name: 'break outside range',
      src: '{{break}}',
      error: 'template: t:1: {{break}} outside {{range}}',
    },
    {
      name: 'literal in a later pipeline stage',
      src: '{{.s | "x"}}',
      error: 'template: t:1: non executable command in pipeline stage 2',
    },
    {
      name: 'if without a pipeline',
      src: '{{if}}{{end}}',
      error: 'template: t:1: missing value for if',
    },
    {
      name: 'define needs a quoted name, then }}',
      src: '{{define "x" "y"}}{{end}}',
      error: 'template: t:1: unexpected "\\"y\\"" in define clause',
    },
    {
      name: 'a token is quoted as strconv.Quote quotes it (\\a, not \\u0007)',
      src: '{{define "x" `a\x07`}}{{end}}',
      error: 'template: t:1: unexpected "`a\\a`" in define clause',
    },
    {
      name: 'block needs a quoted name',
      src: '{{block x .}}{{end}}',
      error: 'template: t:1: unexpected "x" in block clause',
    },
    {
      name: 'parse errors name the line',
      src: 'a\nb\n{{if}}{{end}}',
      error: 'template: t:3: missing value for if',
    },
  ];
  for (const tc of parse) {
    it(`parse: ${tc.name}`, () => expect(() => compileGoTemplate(tc.src, 't')).toThrow(tc.error));
  }

  const exec: { name: string; src: string; error: string }[] = [
    {
      name: 'nil is not a command',
      src: '{{nil}}',
      error: 'template: t:1:2: executing "t" at <nil>: nil is not a command',
    },
    {
      name: 'arguments to a non-function',
      src: '{{1 2}}',
      error: 'template: t:1:2: executing "t" at <1>: can\'t give argument to non-function 1',
    },
    {
      name: 'index out of range',
      src: '{{index .list 5}}',
      error:
        'template: t:1:2: executing "t" at <index .list 5>: error calling index: index out of range: 5',
    },
    {
      name: 'eq of incompatible types',
      src: '{{eq 1 "1"}}',
      error: 'error calling eq: incompatible types for comparison: int and string',
    },
    {
      name: 'lt of booleans',
      src: '{{lt true false}}',
      error: 'error calling lt: invalid type for comparison',
    },
    { name: 'len of an int', src: '{{len 3}}', error: 'error calling len: len of type int' },
    {
      name: 'wrong number of arguments',
      src: '{{ne 1}}',
      error: 'wrong number of args for ne: want 2 got 1',
    },
    {
      name: 'range over a number with two variables',
      src: '{{range $i, $e := 3}}{{end}}',
      error: "can't use 3 to iterate over more than one variable",
    },
    {
      name: 'undefined template',
      src: '{{template "nope"}}',
      error:
        'template: t:1:11: executing "t" at <{{template "nope"}}>: template "nope" not defined',
    },
    {
      name: 'errors give line and column',
      src: 'line one\n  {{index .list 9}}',
      error: 'template: t:2:4: executing "t" at <index .list 9>',
    },
  ];
  for (const tc of exec) {
    it(`exec: ${tc.name}`, () => expect(() => run(tc.src)).toThrow(tc.error));
  }
});
