package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/beian/beian/internal/cliargs"
)

// probe is `beian probe URL`: exit 0 when URL answers 200 within 5 s, else 1. Container images without a shell
// or curl use it as their health check (`beian probe http://127.0.0.1:8080/readyz`).
func probe(args []string, stdout, stderr io.Writer) int {
	pos, code, ok := cliargs.Parse(flag.NewFlagSet("probe", flag.ContinueOnError), args, "usage: beian probe URL",
		stdout, stderr, "URL")
	if !ok {
		return code
	}
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(pos[0])
	if err != nil {
		fmt.Fprintf(stderr, "beian: probe: %v\n", err)
		return 1
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		msg := "beian: probe: " + resp.Status
		if s := snippet(b, resp.Header.Get("Content-Type")); s != "" {
			msg += ": " + s
		}
		fmt.Fprintln(stderr, msg)
		return 1
	}
	return 0
}

// maxSnippet is the most of an error body the probe prints.
const maxSnippet = 120

// snippet is the first line of an error body, cut at maxSnippet bytes, for the probe's one line on stderr
// ({"status":"not_ready"}); nothing for an HTML page, whose first line says nothing.
func snippet(body []byte, contentType string) string {
	if strings.HasPrefix(contentType, "text/html") {
		return ""
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(body)), "\n")
	line = strings.TrimSpace(line)
	if len(line) > maxSnippet {
		line = strings.ToValidUTF8(line[:maxSnippet], "") + "…"
	}
	return line
}
