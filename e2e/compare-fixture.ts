// The repository the compare e2e test builds twice (e2e/compare.test.ts): a first commit
// that prints a line, and a second that vendors a third-party module (one the compiler
// cannot inline away, so its package is in the binary) and embeds a 600 KB file.

// 600 KB of letters from a fixed generator: big on disk, though gzip packs it well.
export const bigText = Array.from({ length: 600_000 }, (_, i) => String.fromCharCode(97 + ((i * 7919 + (i >> 3) * 104729) % 26))).join("");
const main = (imports: string, body: string) => `package main\n\nimport (\n${imports})\n\nfunc main() {\n${body}}\n`;
export const commit1 = {
  "go.mod": "module example.com/fixtures/growing\n\ngo 1.21\n",
  "main.go": main('\t"fmt"\n', '\tfmt.Println("growing: hello")\n'),
};
// Checked with Go 1.23 in slimstage/golang:1.23-local: gofmt-clean, builds with -mod=vendor and no go.sum.
const bannerGo = `// Package banner frames lines of text in a box. It stands in for a third-party module
// in the compare test, vendored so the build needs no network.
package banner

import "strings"

// Box returns the lines framed by a border of the given rune.
//
//go:noinline
func Box(lines []string, border rune) string {
\twidth := 0
\tfor _, line := range lines {
\t\tif len(line) > width {
\t\t\twidth = len(line)
\t\t}
\t}
\tedge := strings.Repeat(string(border), width+4)
\tvar b strings.Builder
\tb.WriteString(edge + "\\n")
\tfor _, line := range lines {
\t\tb.WriteString(string(border) + " " + line + strings.Repeat(" ", width-len(line)) + " " + string(border) + "\\n")
\t}
\tb.WriteString(edge)
\treturn b.String()
}
`;
export const commit2 = {
  "go.mod": "module example.com/fixtures/growing\n\ngo 1.21\n\nrequire example.com/banner v1.2.0\n",
  "vendor/modules.txt": "# example.com/banner v1.2.0\n## explicit; go 1.21\nexample.com/banner\n",
  "vendor/example.com/banner/banner.go": bannerGo,
  "assets/big.txt": bigText,
  "main.go": main('\t_ "embed"\n\t"fmt"\n\n\t"example.com/banner"\n', '\tfmt.Println(banner.Box([]string{"growing: hello", fmt.Sprint(len(big), " bytes embedded")}, \'*\'))\n').replace("func main", "//go:embed assets/big.txt\nvar big string\n\nfunc main"),
};
