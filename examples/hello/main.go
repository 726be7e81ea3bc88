// hello prints one line: the smallest program worth putting in an image.
package main

import "fmt"

func main() {
	fmt.Println("Hello from a Go binary in a container!")
}
