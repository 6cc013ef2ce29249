package loadtest

import (
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
)

// Hello starts a bare net/http server on a free loopback port that answers every request with a short JSON
// body: the yardstick the public query is compared with, measured by the same load tool in the same run. It
// returns the base URL and a function that stops it.
func Hello() (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"hello":"world"}` + "\n"))
	})}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// RSSOf returns the resident set size of process pid now and at its peak, in bytes (Linux /proc; 0
// elsewhere).
func RSSOf(pid int) (now, peak int64) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, 0
	}
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			now = kb << 10
		case "VmHWM:":
			peak = kb << 10
		}
	}
	return now, peak
}
