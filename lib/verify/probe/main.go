// prober asks each TCP port a run-check container listens on for GET / and prints one
// JSON line per port. It runs in a container joined to the run check's network
// namespace, so 127.0.0.1 is the program's own loopback and /proc/net/tcp lists the
// program's sockets; the sandbox itself stays without a network. Standard library only.
//
// Usage: prober [-wait 3s] [-timeout 2s] [PORT...]   (PORTs: the image's EXPOSEd ones)
package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The body read is bounded: the hash and size of the first 16 MiB tell answers apart.
const maxBody = 16 << 20

type answer struct {
	Port        int    `json:"port"`
	Listening   bool   `json:"listening"`
	Status      int    `json:"status,omitempty"`
	ContentType string `json:"contentType,omitempty"`
	Bytes       int64  `json:"bytes,omitempty"`
	SHA256      string `json:"sha256,omitempty"`
	Error       string `json:"error,omitempty"`
}

func main() {
	wait := flag.Duration("wait", 3*time.Second, "how long to wait for the program to listen")
	timeout := flag.Duration("timeout", 2*time.Second, "time limit of each request")
	flag.Parse()
	expected := map[int]bool{}
	for _, arg := range flag.Args() {
		port, err := strconv.Atoi(arg)
		if err != nil || port < 1 || port > 65535 {
			fmt.Fprintf(os.Stderr, "prober: not a port: %q\n", arg)
			os.Exit(2)
		}
		expected[port] = true
	}
	listeners := awaitListeners(expected, *wait)
	ports := map[int]bool{}
	for port := range expected {
		ports[port] = true
	}
	for port := range listeners {
		ports[port] = true
	}
	sorted := make([]int, 0, len(ports))
	for port := range ports {
		sorted = append(sorted, port)
	}
	sort.Ints(sorted)

	// Side by side, printed in port order.
	answers := make([]answer, len(sorted))
	var wg sync.WaitGroup
	for i, port := range sorted {
		wg.Add(1)
		go func(i, port int) {
			defer wg.Done()
			host, listening := listeners[port]
			if !listening {
				host = "127.0.0.1"
			}
			answers[i] = get(host, port, *timeout)
			answers[i].Listening = listening
		}(i, port)
	}
	wg.Wait()
	out := json.NewEncoder(os.Stdout)
	for _, a := range answers {
		_ = out.Encode(a)
	}
}

// awaitListeners polls the listening sockets until every expected port listens, or
// (with none expected) until the set stops changing for 300 ms, or the wait is over.
func awaitListeners(expected map[int]bool, wait time.Duration) map[int]string {
	deadline := time.Now().Add(wait)
	var last map[int]string
	stableSince := time.Now()
	for {
		now := listening()
		if len(now) != len(last) {
			stableSince = time.Now()
		}
		last = now
		done := len(now) > 0 && time.Since(stableSince) >= 300*time.Millisecond
		if len(expected) > 0 {
			done = true
			for port := range expected {
				done = done && now[port] != ""
			}
		}
		if done || time.Now().After(deadline) {
			return now
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// listening reads /proc/net/tcp and tcp6 (sockets in state 0A, LISTEN) and returns, per
// port, the address to dial: the loopback of the family for a wildcard, else the address.
func listening() map[int]string {
	ports := map[int]string{}
	for _, file := range []string{"/proc/net/tcp6", "/proc/net/tcp"} {
		f, err := os.Open(file)
		if err != nil {
			continue
		}
		scanner := bufio.NewScanner(f)
		for scanner.Scan() {
			fields := strings.Fields(scanner.Text())
			if len(fields) < 4 || fields[3] != "0A" {
				continue
			}
			addr, port, ok := parseAddress(fields[1])
			if ok {
				ports[port] = addr // tcp is read last: IPv4 wins when both listen
			}
		}
		f.Close()
	}
	return ports
}

// parseAddress decodes "0100007F:1F90": the address as the kernel stores it (32-bit
// words in host byte order, little-endian on the machines this runs on), then the port.
func parseAddress(text string) (string, int, bool) {
	hexAddr, hexPort, found := strings.Cut(text, ":")
	port, err := strconv.ParseUint(hexPort, 16, 16)
	raw, err2 := hex.DecodeString(hexAddr)
	if !found || err != nil || err2 != nil || (len(raw) != 4 && len(raw) != 16) {
		return "", 0, false
	}
	ip := make(net.IP, len(raw))
	for i := 0; i < len(raw); i += 4 {
		ip[i], ip[i+1], ip[i+2], ip[i+3] = raw[i+3], raw[i+2], raw[i+1], raw[i]
	}
	// A wildcard listener is asked on the IPv4 loopback: Go's ":8080" is an IPv6 socket
	// that also takes IPv4 (Linux's default), and containers often have no ::1 at all.
	if ip.IsUnspecified() {
		return "127.0.0.1", int(port), true
	}
	return ip.String(), int(port), true
}

func get(host string, port int, timeout time.Duration) answer {
	client := &http.Client{
		Timeout:   timeout,
		Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true},
		// A redirect is an answer in itself; following it could leave the loopback.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	url := "http://" + net.JoinHostPort(host, strconv.Itoa(port)) + "/"
	resp, err := client.Get(url)
	if err != nil {
		return answer{Port: port, Error: err.Error()}
	}
	defer resp.Body.Close()
	hash := sha256.New()
	n, err := io.Copy(hash, io.LimitReader(resp.Body, maxBody))
	a := answer{Port: port, Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Bytes: n, SHA256: hex.EncodeToString(hash.Sum(nil))}
	if err != nil {
		a.Error = "reading the body: " + err.Error()
	}
	return a
}
