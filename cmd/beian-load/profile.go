package main

import (
	"errors"
	"flag"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
)

// profiles are the optional profiles of the measured run (the server runs in this process, so they cover it).
type profiles struct{ cpu, block, mutex, trace *string }

func profileFlags(fs *flag.FlagSet) *profiles {
	return &profiles{
		cpu:   fs.String("cpuprofile", "", "write a CPU profile of the run to this file"),
		block: fs.String("blockprofile", "", "write a blocking profile of the run to this file"),
		mutex: fs.String("mutexprofile", "", "write a mutex contention profile of the run to this file"),
		trace: fs.String("trace", "", "write an execution trace of the run to this file"),
	}
}

// start begins the requested profiles; the returned function ends them and writes the files.
func (p *profiles) start() (func(), error) {
	var ends []func() error
	if *p.cpu != "" {
		f, err := os.Create(*p.cpu)
		if err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
		ends = append(ends, func() error { pprof.StopCPUProfile(); return f.Close() })
	}
	if *p.trace != "" {
		f, err := os.Create(*p.trace)
		if err != nil {
			return nil, err
		}
		if err := trace.Start(f); err != nil {
			return nil, err
		}
		ends = append(ends, func() error { trace.Stop(); return f.Close() })
	}
	if *p.block != "" {
		runtime.SetBlockProfileRate(10_000) // one sample per 10 µs blocked
		ends = append(ends, func() error { return writeProfile("block", *p.block) })
	}
	if *p.mutex != "" {
		runtime.SetMutexProfileFraction(5)
		ends = append(ends, func() error { return writeProfile("mutex", *p.mutex) })
	}
	return func() {
		var errs []error
		for _, end := range ends {
			errs = append(errs, end())
		}
		if err := errors.Join(errs...); err != nil {
			os.Stderr.WriteString("beian-load: profiles: " + err.Error() + "\n")
		}
	}, nil
}

func writeProfile(name, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.Lookup(name).WriteTo(f, 0)
}
