// loadlocation prints the time in Berlin. It needs the time zone database at run
// time, which a bare scratch or Alpine image does not have: the program then fails
// with "unknown time zone Europe/Berlin".
package main

import (
	"fmt"
	"os"
	"time"
)

func main() {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	fmt.Println("Time in Berlin:", time.Now().In(loc).Format(time.RFC1123))
}
