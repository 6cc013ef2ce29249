package sqldb

// ProbeHeld counts the probe's open connections that hold a read transaction.
func ProbeHeld(p *Probe) (n int) {
	p.eachConn(func(c *probeConn) {
		if c.inTx {
			n++
		}
	})
	return n
}

// ProbeArmed counts the probe's open connections whose timer was still to fire. It stops each timer to learn
// that (Stop reports whether the timer was pending), so it is for a test's last look at a probe.
func ProbeArmed(p *Probe) (n int) {
	p.eachConn(func(c *probeConn) {
		if c.timer != nil && c.timer.Stop() {
			n++
		}
	})
	return n
}

func (p *Probe) eachConn(f func(*probeConn)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.all {
		c.mu.Lock()
		f(c)
		c.mu.Unlock()
	}
}
